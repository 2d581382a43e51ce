// The stylesheet and icon, served from /assets (kept here as text so the built server needs no
// files beside it). Flicks has no browser script: every page is plain HTML and forms.
import { SHOWS } from './catalogue.js';

const POSTERS = SHOWS.map((show) => `.poster[data-hue="${show.hue}"] { --hue: ${show.hue}; }`).join('\n');

export const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="8" fill="#c8102e"/><path d="M12 9v14l11-7z" fill="#fff"/></svg>`;

export const STYLESHEET = `
:root {
  --ink: #1c1a1f;
  --muted: #5d5862;
  --paper: #faf7f2;
  --panel: #ffffff;
  --line: #e8e1d8;
  --primary: #c8102e;
  --primary-ink: #ffffff;
  --ok: #1d7a4a;
  --error: #b3261e;
  --radius: 14px;
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  color: var(--ink);
  background: var(--paper);
  line-height: 1.5;
}
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; }
main { flex: 1; width: 100%; max-width: 72rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1, h2, h3 { line-height: 1.2; margin: 0 0 .5rem; }
h1 { font-size: 2rem; }
h2 { font-size: 1.2rem; }
h3 { font-size: 1.05rem; }
a { color: var(--primary); }
:focus-visible { outline: 3px solid #f2b705; outline-offset: 2px; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 10; }
.bar { display: flex; align-items: center; justify-content: space-between; gap: 1rem; flex-wrap: wrap;
  padding: .75rem 1.25rem; background: #16131a; color: #fff; border-bottom: 3px solid var(--primary); }
.bar a, .bar .link { color: #fff; }
.brand { font-weight: 800; font-size: 1.3rem; letter-spacing: .02em; text-decoration: none; display: inline-flex; gap: .45rem; align-items: center; }
.logo { display: inline-grid; place-items: center; width: 1.8rem; height: 1.8rem; border-radius: 6px; background: var(--primary); color: #fff; font-size: .9rem; }
.bar nav { display: flex; align-items: center; gap: 1rem; flex-wrap: wrap; }
.bar nav a { text-decoration: none; opacity: .9; }
.bar nav a[aria-current="page"] { text-decoration: underline; text-underline-offset: 4px; opacity: 1; }
.bar form { margin: 0; }
.who { font-weight: 600; }
.foot { text-align: center; color: var(--muted); font-size: .85rem; padding: 1.5rem 1rem; }
.lede { font-size: 1.1rem; color: var(--muted); max-width: 46rem; }
.hint { color: var(--muted); font-size: .9rem; }
.muted { color: var(--muted); }
.hero { max-width: 46rem; margin: 1rem 0 2rem; }
.steps { padding-left: 1.25rem; margin-top: 1.5rem; }
.steps li { margin-bottom: .5rem; }
.intro { margin-bottom: 1rem; }
.button { display: inline-flex; align-items: center; justify-content: center; font: inherit; font-weight: 600;
  padding: .5rem 1rem; border-radius: 8px; border: 1px solid var(--line); background: #fff; color: var(--ink);
  text-decoration: none; cursor: pointer; }
.button:hover { border-color: var(--primary); }
.button.primary { background: var(--primary); border-color: var(--primary); color: var(--primary-ink); }
.button.big { font-size: 1.1rem; padding: .75rem 1.5rem; }
.link { background: none; border: 0; padding: 0; font: inherit; text-decoration: underline; cursor: pointer; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); padding: 1.25rem;
  box-shadow: 0 1px 2px rgba(40, 20, 10, .06); }
.notice { border: 2px solid var(--primary); margin: 1rem 0; }
.notice-line { background: #fdecef; border-radius: 10px; padding: .6rem 1rem; margin: 0 0 1rem; }
.powers { margin-bottom: 1.5rem; border-left: 6px solid var(--ok); }
.powers-columns { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); }
.powers ul, .power ul { padding-left: 1.5rem; margin: .25rem 0; }
.can li::marker { content: '✓  '; color: var(--ok); }
.cannot li::marker { content: '✗  '; color: var(--error); }
.shows { list-style: none; padding: 0; margin: 0; display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); }
.show { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); overflow: hidden;
  display: flex; flex-direction: column; }
.show-text { padding: .9rem 1rem .25rem; flex: 1; }
.show-text p { margin: .25rem 0; }
.show .subtitle { color: var(--muted); font-size: .9rem; margin-top: 0; }
.show .button { margin: .5rem 1rem 1rem; }
.poster { --hue: 0; height: 8.5rem; display: flex; align-items: flex-end; padding: .75rem 1rem;
  background: radial-gradient(circle at 80% 20%, hsl(calc(var(--hue) + 40) 80% 65% / .9), transparent 45%),
    linear-gradient(160deg, hsl(var(--hue) 65% 38%), hsl(calc(var(--hue) + 30) 70% 14%));
  color: #fff; font-weight: 800; font-size: 1.3rem; letter-spacing: .01em; text-shadow: 0 2px 8px rgba(0, 0, 0, .4); }
${POSTERS}
.recs { margin-bottom: 2rem; }
.rec-list { list-style: none; padding: 0; margin: 0; display: grid; gap: 1rem; }
.recommendation.is-unsent { opacity: .8; }
.follow-ups { padding-left: 1.25rem; }
.follow-up label { display: block; font-weight: 600; margin: .5rem 0 .25rem; }
.row { display: flex; gap: .5rem; flex-wrap: wrap; }
.row input { flex: 1; min-width: 12rem; font: inherit; padding: .5rem .7rem; border-radius: 8px; border: 1px solid #cfc6bb; }
.unsend { display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; margin-top: .75rem; }
.unsent-note { font-weight: 600; }
.power-grid { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); margin-bottom: 1rem; }
.power .scope { margin: 0; color: var(--muted); font-size: .85rem; }
.power h3 { margin-top: 1rem; font-size: .95rem; }
@media (max-width: 40rem) { h1 { font-size: 1.6rem; } .bar nav { gap: .75rem; font-size: .95rem; } }
`;
