// The pages Flicks renders: plain HTML forms, no script. What Flicks may do is never written
// here by hand: the home page and "What Flicks can do" render Parley's own answer from
// /v1/me/permissions, so if Flicks were ever granted more, its pages would say so.
import type { Permissions } from '@parley/sdk';
import { SHOWS, showById, type Show } from './catalogue.js';
import { html, srOnly, type Html } from './html.js';
import type { LostAccess, Person, Recommendation } from './store.js';

const DATE = new Intl.DateTimeFormat('en', { dateStyle: 'long' });
const WHEN = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });

/** The scopes that would let an app read conversations; Flicks holds neither. */
const READING_SCOPES = new Set(['messages.read', 'threads.connect']);

export function layout(o: {
  title: string;
  person: Person | null;
  body: Html;
  current?: 'home' | 'permissions';
}) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${o.title}</title>
        <link rel="icon" href="/assets/icon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/flicks.css" />
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="bar">
          <a class="brand" href="/"><span class="logo" aria-hidden="true">▶</span> Flicks</a>
          <nav aria-label="Flicks">
            <a href="/" ${o.current === 'home' ? html`aria-current="page"` : ''}>Shows</a>
            ${
              o.person
                ? html`<a href="/permissions" ${o.current === 'permissions' ? html`aria-current="page"` : ''}
                      >What Flicks can do</a
                    >
                    <span class="who" title="@${o.person.username}">${o.person.displayName}</span>
                    <form method="post" action="/logout">
                      <button type="submit" class="link">Log out</button>
                    </form>`
                : ''
            }
          </nav>
        </header>
        <main id="main">${o.body}</main>
        <footer class="foot">
          Flicks is a demo partner app of Parley. It talks to Parley only through the public partner API.
        </footer>
      </body>
    </html>`;
}

function poster(show: Show): Html {
  return html`<div class="poster" data-hue="${show.hue}" aria-hidden="true">
    <span>${show.title}</span>
  </div>`;
}

function showGrid(o: { canRecommend: boolean }): Html {
  return html`<section aria-labelledby="shows-title">
    <h2 id="shows-title">Shows</h2>
    <ul class="shows">
      ${SHOWS.map(
        (show) =>
          html`<li class="show">
            ${poster(show)}
            <div class="show-text">
              <h3>${show.title}</h3>
              <p class="subtitle">${show.subtitle}</p>
              <p>${show.blurb}</p>
            </div>
            ${
              o.canRecommend
                ? html`<a class="button primary" href="/shows/${show.id}/recommend"
                    >Recommend${srOnly(` ${show.title}`)}</a
                  >`
                : ''
            }
          </li>`,
      )}
    </ul>
  </section>`;
}

const LOST_TEXT: Record<LostAccess, string> = {
  revoked: 'Its access was revoked in Parley, so Flicks has forgotten its keys to your account.',
  expired: 'Its access expired, so Flicks has forgotten its keys to your account.',
  ended:
    'Parley no longer accepts its access (it was revoked or it expired), so Flicks has forgotten its keys.',
};

export function welcomePage(o: { person: Person | null }) {
  const lost = o.person && !o.person.tokens ? (o.person.lostAccess ?? 'ended') : null;
  return layout({
    title: 'Flicks — recommend a show to a friend',
    person: o.person,
    current: 'home',
    body: html`<section class="hero">
        <h1>Recommend a show to a friend</h1>
        <p class="lede">
          Found something worth watching? Flicks sends it to the friends you pick on Parley. Flicks asks only
          to send messages as you: it can never read your conversations or see your friends.
        </p>
        ${
          lost
            ? html`<section class="panel notice" aria-labelledby="again-title" role="status">
                <h2 id="again-title">Connect again</h2>
                <p>Flicks is no longer connected to your Parley account. ${LOST_TEXT[lost]}</p>
                <p>Your recommendations stay in your friends' conversations in Parley.</p>
                <a class="button primary" href="/connect">Connect with Parley</a>
              </section>`
            : html`<a class="button primary big" href="/connect">Connect with Parley</a>
                <p class="hint">You will sign in on Parley's own page; Flicks never sees your password.</p>`
        }
        <ol class="steps">
          <li>
            <strong>Connect with Parley.</strong> Parley shows you exactly what Flicks asks for before you
            agree.
          </li>
          <li>
            <strong>Press Recommend</strong> on a show. Parley's own page asks which friends get it; Flicks
            never sees your friend list.
          </li>
          <li>
            <strong>Follow up or take it back.</strong> Back in Flicks you can send a follow-up in those
            conversations, or unsend the recommendation.
          </li>
        </ol>
      </section>
      ${showGrid({ canRecommend: false })}`,
  });
}

/** What Flicks may do, in Parley's words, with the plain conclusion first. */
function powersSummary(permissions: Permissions): Html {
  const scopes = permissions.scopes;
  const canRead = scopes.some((s) => READING_SCOPES.has(s.scope));
  const canSeeFriends = scopes.some((s) => s.scope === 'friends.read');
  const headline = canRead
    ? 'Flicks can read some of your conversations'
    : canSeeFriends
      ? 'Flicks cannot read your conversations'
      : 'Flicks cannot read your conversations or see your friends';
  const can = [...new Set(scopes.flatMap((s) => s.can))];
  const cannot = [...new Set(scopes.flatMap((s) => s.cannot))];
  return html`<section class="panel powers" aria-labelledby="powers-title">
    <h2 id="powers-title">${headline}</h2>
    <p class="hint">Parley's own answer, asked just now, about the access you gave Flicks:</p>
    <div class="powers-columns">
      <div>
        <h3>Flicks can</h3>
        <ul class="can">
          ${can.map((line) => html`<li>${line}</li>`)}
        </ul>
      </div>
      <div>
        <h3>Flicks cannot</h3>
        <ul class="cannot">
          ${cannot.map((line) => html`<li>${line}</li>`)}
        </ul>
      </div>
    </div>
    <p><a href="/permissions">More about what Flicks can do, and how to stop it</a></p>
  </section>`;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function entries(receipts: (number | null)[]): string {
  const known = receipts.filter((r): r is number => r !== null);
  if (known.length === 0) return '';
  return known.length === 1
    ? `Recorded in Parley's transparency log as entry #${known[0]}.`
    : `Recorded in Parley's transparency log as entries ${known.map((r) => `#${r}`).join(', ')}.`;
}

function recommendationItem(rec: Recommendation): Html {
  const title = showById(rec.showId)?.title ?? 'A show';
  const id = `rec-${rec.id}`;
  const conversations = plural(rec.cards.length, 'conversation', 'conversations');
  return html`<li>
    <article
      class="panel recommendation${rec.unsentAt ? ' is-unsent' : ''}"
      id="${id}"
      aria-labelledby="${id}-title"
    >
      <h3 id="${id}-title">${title}</h3>
      <p class="hint">
        Recommended ${WHEN.format(new Date(rec.createdAt))} in ${conversations}. Flicks does not know with
        whom: you picked them on Parley.
      </p>
      ${
        rec.followUps.length > 0
          ? html`<ul class="follow-ups" aria-label="Follow-ups about ${title}">
              ${rec.followUps.map(
                (f) =>
                  html`<li>
                    “${f.text}” <span class="muted">${entries(f.messages.map((m) => m.receipt))}</span>
                  </li>`,
              )}
            </ul>`
          : ''
      }
      ${
        rec.unsentAt
          ? html`<p class="unsent-note">
              Unsent: Flicks removed this recommendation and its follow-ups from those conversations.
              <span class="muted">${entries(rec.unsendReceipts)}</span>
            </p>`
          : html`<form method="post" action="/recommendations/${rec.id}/follow-up" class="follow-up">
                <label for="${id}-text">Follow-up message${srOnly(` about ${title}`)}</label>
                <div class="row">
                  <input
                    id="${id}-text"
                    name="text"
                    required
                    maxlength="1000"
                    autocomplete="off"
                    placeholder="Start with episode 2 — trust me."
                  />
                  <button type="submit" class="button primary">
                    Send a follow-up${srOnly(` about ${title}`)}
                  </button>
                </div>
              </form>
              <form method="post" action="/recommendations/${rec.id}/unsend" class="unsend">
                <button type="submit" class="button">
                  Unsend${srOnly(` the recommendation of ${title}`)}
                </button>
                <span class="hint"
                  >Takes back the recommendation and its follow-ups, for everyone in ${conversations}.</span
                >
              </form>`
      }
    </article>
  </li>`;
}

export interface HomeOptions {
  person: Person;
  permissions: Permissions;
  notice: string | null;
}

export function homePage(o: HomeOptions) {
  const recommendations = o.person.recommendations;
  return layout({
    title: 'Flicks',
    person: o.person,
    current: 'home',
    body: html`<section class="intro">
        <h1>Hi ${o.person.displayName}</h1>
        <p class="lede">
          Press <strong>Recommend</strong> on a show. Parley's own page asks which friends get it — Flicks
          never sees your friends or your conversations. Then come back here to follow up, or to take it back.
        </p>
      </section>
      ${o.notice ? html`<p class="notice-line" role="status">${o.notice}</p>` : ''}
      ${powersSummary(o.permissions)}
      ${
        recommendations.length > 0
          ? html`<section aria-labelledby="recs-title" class="recs">
              <h2 id="recs-title">Your recommendations</h2>
              <ul class="rec-list">
                ${recommendations.map(recommendationItem)}
              </ul>
            </section>`
          : ''
      }
      ${showGrid({ canRecommend: true })}`,
  });
}

export function permissionsPage(o: { person: Person; permissions: Permissions; parleyUrl: string }) {
  const { permissions } = o;
  return layout({
    title: 'What Flicks can do in your Parley account',
    person: o.person,
    current: 'permissions',
    body: html`<section class="intro">
        <h1>What Flicks can do in your Parley account</h1>
        <p class="lede">
          Flicks asked Parley just now what its access to your account allows. This is Parley's answer, in
          Parley's own words — the same lines you saw when you connected.
        </p>
      </section>
      <div class="power-grid">
        ${permissions.scopes.map(
          (scope) =>
            html`<section class="panel power" aria-labelledby="power-${scope.scope}">
              <h2 id="power-${scope.scope}">${scope.title}</h2>
              <p class="scope"><code>${scope.scope}</code></p>
              <h3>Can</h3>
              <ul class="can">
                ${scope.can.map((line) => html`<li>${line}</li>`)}
              </ul>
              <h3>Cannot</h3>
              <ul class="cannot">
                ${scope.cannot.map((line) => html`<li>${line}</li>`)}
              </ul>
            </section>`,
        )}
      </div>
      <section class="panel">
        <h2>How long, and how to stop it</h2>
        <p>
          Unless you use Flicks, this access ends on
          <strong>${DATE.format(new Date(permissions.expiresAt))}</strong>.
        </p>
        <p>
          To stop it now, open <a href="${o.parleyUrl}/apps">Apps &amp; access</a> in Parley and revoke
          Flicks. Parley's <a href="${o.parleyUrl}/access-log">access log</a> lists every time Flicks used
          this access.
        </p>
      </section>`,
  });
}

export function messagePage(o: { person: Person | null; title: string; text: string }) {
  return layout({
    title: `Flicks — ${o.title}`,
    person: o.person,
    body: html`<section class="intro">
      <h1>${o.title}</h1>
      <p class="lede">${o.text}</p>
      <p>
        <a class="button primary" href="/connect">Connect with Parley</a>
        <a class="button" href="/">Back to Flicks</a>
      </p>
    </section>`,
  });
}
