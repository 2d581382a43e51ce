// The pages Tunes renders on the server. Each page says in a few words what it is for, so a
// newcomer with only the pages to go by knows what to click; the browser script (assets.ts)
// adds the player, the share dialog and the live chat on top.
import type { Friend, Permissions } from '@parley/sdk';
import { SONGS, type Song } from './catalogue.js';
import { html, srOnly, type Html } from './html.js';
import type { LostAccess, Person } from './store.js';

const DATE = new Intl.DateTimeFormat('en', { dateStyle: 'long' });

function minutes(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export function layout(o: {
  title: string;
  person: Person | null;
  body: Html;
  current?: 'home' | 'permissions';
}) {
  const isConnected = Boolean(o.person?.tokens);
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${o.title}</title>
        <link rel="icon" href="/assets/icon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/assets/tunes.css" />
        <script src="/assets/tunes.js" defer></script>
      </head>
      <body class="${isConnected ? 'is-connected' : ''}">
        <a class="skip" href="#main">Skip to content</a>
        <header class="bar">
          <a class="brand" href="/"><span class="logo" aria-hidden="true">♪</span> Tunes</a>
          <nav aria-label="Tunes">
            <a href="/" ${o.current === 'home' ? html`aria-current="page"` : ''}>Player</a>
            ${
              o.person
                ? html`<a href="/permissions" ${o.current === 'permissions' ? html`aria-current="page"` : ''}
                      >What Tunes can do</a
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
          Tunes is a demo partner app of Parley. It talks to Parley only through the public partner API.
        </footer>
      </body>
    </html>`;
}

function cover(song: Song, size: 'small' | 'large' = 'small'): Html {
  // Two hues from the song's own: a gradient "album cover" without any image.
  return html`<span class="cover ${size}" data-hue="${song.hue}" aria-hidden="true"
    >${song.title.slice(0, 1)}</span
  >`;
}

function player(): Html {
  const first = SONGS[0]!;
  return html`<section class="panel player" aria-labelledby="player-title">
    <h2 id="player-title">Now playing</h2>
    <div class="now">
      ${cover(first, 'large')}
      <div>
        <p class="now-title" id="now-title">${first.title}</p>
        <p class="now-artist" id="now-artist">${first.artist}</p>
      </div>
    </div>
    <div
      class="progress"
      role="progressbar"
      aria-label="Song progress"
      aria-valuemin="0"
      aria-valuemax="100"
      aria-valuenow="0"
      id="progress"
    >
      <span class="progress-fill" id="progress-fill"></span>
    </div>
    <p class="times">
      <span id="elapsed">0:00</span><span id="duration">${minutes(first.durationSeconds)}</span>
    </p>
    <button type="button" class="button primary" id="play-pause" data-song="${first.id}">Play</button>
    <p class="hint">This demo has no sound: the bar only pretends to play.</p>
  </section>`;
}

function songList(o: { canShare: boolean }): Html {
  return html`<section class="panel songs" aria-labelledby="songs-title">
    <h2 id="songs-title">Songs</h2>
    <ul class="song-list" aria-labelledby="songs-title">
      ${SONGS.map(
        (song) =>
          html`<li class="song">
            ${cover(song)}
            <span class="song-text">
              <span class="song-title">${song.title}</span>
              <span class="song-artist">${song.artist} · ${minutes(song.durationSeconds)}</span>
            </span>
            <span class="song-actions">
              <button
                type="button"
                class="button small"
                data-play="${song.id}"
                data-title="${song.title}"
                data-artist="${song.artist}"
                data-duration="${song.durationSeconds}"
                data-hue="${song.hue}"
              >
                Play${srOnly(` ${song.title}`)}
              </button>
              ${
                o.canShare
                  ? html`<button
                      type="button"
                      class="button small accent needs-connection"
                      data-share="${song.id}"
                      data-title="${song.title}"
                      data-artist="${song.artist}"
                    >
                      Share${srOnly(` ${song.title}`)}
                    </button>`
                  : ''
              }
            </span>
          </li>`,
      )}
    </ul>
  </section>`;
}

const LOST_TEXT: Record<LostAccess, string> = {
  revoked: 'Its access was revoked in Parley, so Tunes has forgotten its keys to your account.',
  expired: 'Its access expired, so Tunes has forgotten its keys to your account.',
  ended:
    'Parley no longer accepts its access (it was revoked or it expired), so Tunes has forgotten its keys.',
};

/** The "Connect again" panel: rendered for a person whose connection ended, and kept as a template on live pages. */
function connectAgain(reason: LostAccess | null): Html {
  return html`<section class="panel notice" aria-labelledby="again-title" role="status">
    <h2 id="again-title">Connect again</h2>
    <p>Tunes is no longer connected to your Parley account.</p>
    ${(Object.keys(LOST_TEXT) as LostAccess[]).map(
      (key) => html`<p data-reason="${key}" ${reason === key ? '' : html`hidden`}>${LOST_TEXT[key]}</p>`,
    )}
    <p>
      Nothing you shared is lost: your conversations stay in Parley. To share from Tunes again, reconnect it.
    </p>
    <a class="button primary" href="/connect">Connect with Parley</a>
  </section>`;
}

function howItWorks(): Html {
  return html`<ol class="steps">
    <li>
      <strong>Connect with Parley.</strong> Parley shows you exactly what Tunes asks for, and why, before you
      agree.
    </li>
    <li>
      <strong>Share a song</strong> with friends who also use Tunes, right here — or with any friend through
      Parley's own share page, where Tunes never sees your friend list.
    </li>
    <li>
      <strong>Chat beside the player.</strong> Replies show up here as they arrive. Tunes can read only the
      conversations started through Tunes, nothing else.
    </li>
  </ol>`;
}

export function welcomePage(o: { person: Person | null; problem?: string }) {
  const lost = o.person && !o.person.tokens ? (o.person.lostAccess ?? 'ended') : null;
  return layout({
    title: 'Tunes — share songs with your friends on Parley',
    person: o.person,
    current: 'home',
    body: html`<section class="hero">
        <h1>Tunes</h1>
        <p class="lede">
          A small music player. Play a song, share it with friends on Parley, and chat about it right beside
          the music.
        </p>
        ${o.problem ? html`<p class="error" role="alert">${o.problem}</p>` : ''}
        ${
          lost
            ? connectAgain(lost)
            : html`<a class="button primary big" href="/connect">Connect with Parley</a>
                <p class="hint">You will sign in on Parley's own page; Tunes never sees your password.</p>`
        }
        ${howItWorks()}
      </section>
      <div class="columns">${player()} ${songList({ canShare: false })}</div>`,
  });
}

export interface HomeOptions {
  person: Person;
  /** Friends who also use Tunes (friends.read); null when Tunes may not see them or Parley did not answer. */
  friends: Friend[] | null;
  friendsProblem: string | null;
  /** Where Parley's web app is, for "Open in Parley" and "Apps & access" links. */
  parleyUrl: string;
  notice: string | null;
  /** The conversation to open first (after a share). */
  conversation: string | null;
  /** Whether the person granted messages.read (the chat panel needs it). */
  canRead: boolean;
}

function shareDialog(o: HomeOptions): Html {
  const friends = o.friends ?? [];
  return html`<dialog id="share-dialog" aria-labelledby="share-title" class="dialog">
    <form method="dialog" class="dialog-close">
      <button type="submit" class="icon" aria-label="Close">×</button>
    </form>
    <h2 id="share-title">Share a song</h2>
    <p class="share-song" id="share-song"></p>
    <form id="share-form">
      <input type="hidden" name="songId" id="share-song-id" />
      <fieldset>
        <legend>Friends who use Tunes</legend>
        ${o.friendsProblem ? html`<p class="error">${o.friendsProblem}</p>` : ''}
        ${
          friends.length === 0 && !o.friendsProblem
            ? html`<p class="hint">
                None of your friends have connected Tunes yet — Tunes can only see friends who did. Use
                <strong>Share on Parley…</strong> below to pick from all your friends.
              </p>`
            : ''
        }
        <ul class="friend-list">
          ${friends.map(
            (friend) =>
              html`<li>
                <label class="pick">
                  <input type="checkbox" name="friendIds" value="${friend.id}" />
                  <span>${friend.displayName} <span class="muted">@${friend.username}</span></span>
                </label>
              </li>`,
          )}
        </ul>
      </fieldset>
      <label for="share-note">Note for your friends (optional)</label>
      <input
        id="share-note"
        name="note"
        maxlength="1000"
        autocomplete="off"
        placeholder="You have to hear this!"
      />
      <p class="error" id="share-error" role="alert" hidden></p>
      <button type="submit" class="button primary" ${friends.length === 0 ? html`disabled` : ''}>
        Share with selected friends
      </button>
    </form>
    <div class="or">
      <p>Or pick from <em>all</em> your friends on Parley's own page. Tunes will not see your friend list.</p>
      <a class="button" id="share-on-parley" href="/">Share on Parley…</a>
    </div>
  </dialog>`;
}

function chat(o: HomeOptions): Html {
  return html`<section
    class="panel chat needs-connection"
    aria-label="Conversation"
    id="chat"
    data-parley-url="${o.parleyUrl}"
    data-me="${o.person.sub}"
    data-open="${o.conversation ?? ''}"
    data-can-read="${o.canRead ? 'yes' : 'no'}"
  >
    <h2>Conversation</h2>
    ${
      o.canRead
        ? html`<p class="hint">
            The conversations you started from Tunes, live. Tunes cannot read any other conversation of yours.
          </p>`
        : html`<p class="error">
            You did not let Tunes read the conversations started through Tunes, so replies cannot show here.
            They are in Parley.
          </p>`
    }
    <div class="chat-head">
      <label for="conversation-select">With</label>
      <select id="conversation-select" disabled>
        <option value="">No conversations yet</option>
      </select>
      <a class="open-in-parley" id="open-in-parley" href="${o.parleyUrl}" hidden>Open in Parley</a>
    </div>
    <ol class="messages" id="messages" aria-live="polite">
      <li class="empty">Share a song to start a conversation. Replies will show up here.</li>
    </ol>
    <form id="send-form" class="composer">
      <label for="message-input">Message</label>
      <div class="composer-row">
        <input id="message-input" name="text" autocomplete="off" maxlength="10000" required disabled />
        <button type="submit" class="button primary" disabled id="send-button">Send</button>
      </div>
    </form>
    <p class="error" id="chat-error" role="alert" hidden></p>
  </section>`;
}

export function homePage(o: HomeOptions) {
  return layout({
    title: 'Tunes',
    person: o.person,
    current: 'home',
    body: html`<section class="intro">
        <h1>Hi ${o.person.displayName}</h1>
        <p class="lede needs-connection">
          Play a song, then press <strong>Share</strong> to send it to a friend on Parley. Their replies
          appear in the conversation beside the player.
        </p>
      </section>
      <div id="connection" aria-live="assertive"></div>
      <template id="connect-again-template">${connectAgain(null)}</template>
      ${
        o.notice
          ? html`<p class="notice-line" role="status" id="notice">${o.notice}</p>`
          : html`<p class="notice-line" role="status" id="notice" hidden></p>`
      }
      <div class="columns">
        <div class="stack">${player()} ${songList({ canShare: true })}</div>
        ${chat(o)}
      </div>
      ${shareDialog(o)}`,
  });
}

export function permissionsPage(o: { person: Person; permissions: Permissions; parleyUrl: string }) {
  const { permissions } = o;
  const apps = `${o.parleyUrl}/apps`;
  return layout({
    title: 'What Tunes can do in your Parley account',
    person: o.person,
    current: 'permissions',
    body: html`<section class="intro">
        <h1>What Tunes can do in your Parley account</h1>
        <p class="lede">
          Tunes asked Parley just now what its access to your account allows. This is Parley's answer, in
          Parley's own words — the same lines you saw when you connected.
        </p>
      </section>
      <div class="powers">
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
      ${
        permissions.threads.length > 0
          ? html`<section class="panel">
              <h2>Conversations you chose for Tunes</h2>
              <ul>
                ${permissions.threads.map((thread) => html`<li>${thread.label}</li>`)}
              </ul>
            </section>`
          : ''
      }
      <section class="panel">
        <h2>How long, and how to stop it</h2>
        <p>
          Unless you use Tunes, this access ends on
          <strong>${DATE.format(new Date(permissions.expiresAt))}</strong>.
        </p>
        <p>
          To stop it now, open <a href="${apps}">Apps &amp; access</a> in Parley and revoke Tunes. Tunes stops
          at once and offers to connect again. Parley's
          <a href="${o.parleyUrl}/access-log">access log</a> lists every time Tunes used this access.
        </p>
      </section>`,
  });
}

export function messagePage(o: { person: Person | null; title: string; text: string }) {
  return layout({
    title: `Tunes — ${o.title}`,
    person: o.person,
    body: html`<section class="intro">
      <h1>${o.title}</h1>
      <p class="lede">${o.text}</p>
      <p>
        <a class="button primary" href="/connect">Connect with Parley</a>
        <a class="button" href="/">Back to Tunes</a>
      </p>
    </section>`,
  });
}
