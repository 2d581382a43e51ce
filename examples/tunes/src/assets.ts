// The stylesheet and the browser script, served from /assets (kept here as text so the built
// server needs no files beside it). The pages work as plain HTML; the script adds the fake
// player, the share dialog and the live conversation.
import { SONGS } from './catalogue.js';

const COVERS = SONGS.map((song) => `.cover[data-hue="${song.hue}"] { --hue: ${song.hue}; }`).join('\n');

export const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<circle cx="16" cy="16" r="16" fill="#5b3cc4"/><text x="16" y="23" font-size="20" text-anchor="middle" fill="#fff">♪</text></svg>`;

export const STYLESHEET = `
:root {
  --ink: #1d1a2b;
  --muted: #5f5a72;
  --paper: #f5f3fb;
  --panel: #ffffff;
  --line: #e2ddf0;
  --primary: #5b3cc4;
  --primary-ink: #ffffff;
  --accent: #c2325b;
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
main { flex: 1; width: 100%; max-width: 76rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1, h2, h3 { line-height: 1.2; margin: 0 0 .5rem; }
h1 { font-size: 2rem; }
h2 { font-size: 1.15rem; }
h3 { font-size: .95rem; margin-top: 1rem; }
a { color: var(--primary); }
:focus-visible { outline: 3px solid #f2b705; outline-offset: 2px; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 10; }
.bar { display: flex; align-items: center; justify-content: space-between; gap: 1rem; flex-wrap: wrap;
  padding: .75rem 1.25rem; background: linear-gradient(100deg, #2b1a63, #5b3cc4); color: #fff; }
.bar a, .bar .link { color: #fff; }
.brand { font-weight: 700; font-size: 1.25rem; text-decoration: none; display: inline-flex; gap: .4rem; align-items: center; }
.logo { display: inline-grid; place-items: center; width: 1.8rem; height: 1.8rem; border-radius: 50%; background: #fff; color: #5b3cc4; }
.bar nav { display: flex; align-items: center; gap: 1rem; flex-wrap: wrap; }
.bar nav a { text-decoration: none; opacity: .9; }
.bar nav a[aria-current="page"] { text-decoration: underline; text-underline-offset: 4px; opacity: 1; }
.bar form { margin: 0; }
.who { font-weight: 600; }
.foot { text-align: center; color: var(--muted); font-size: .85rem; padding: 1.5rem 1rem; }
.lede { font-size: 1.1rem; color: var(--muted); max-width: 46rem; }
.hint { color: var(--muted); font-size: .9rem; }
.muted { color: var(--muted); }
.error { color: var(--error); font-weight: 600; }
.hero { max-width: 46rem; margin: 1rem 0 2rem; }
.steps { padding-left: 1.25rem; margin-top: 1.5rem; }
.steps li { margin-bottom: .5rem; }
.intro { margin-bottom: 1rem; }
.button { display: inline-flex; align-items: center; justify-content: center; gap: .35rem; font: inherit; font-weight: 600;
  padding: .55rem 1rem; border-radius: 999px; border: 1px solid var(--line); background: #fff; color: var(--ink);
  text-decoration: none; cursor: pointer; }
.button:hover { border-color: var(--primary); }
.button.primary { background: var(--primary); border-color: var(--primary); color: var(--primary-ink); }
.button.accent { background: var(--accent); border-color: var(--accent); color: #fff; }
.button.big { font-size: 1.1rem; padding: .75rem 1.5rem; }
.button.small { padding: .3rem .75rem; font-size: .9rem; }
.button:disabled { opacity: .55; cursor: not-allowed; }
.link { background: none; border: 0; padding: 0; font: inherit; text-decoration: underline; cursor: pointer; color: var(--primary); }
.icon { background: none; border: 0; font-size: 1.5rem; line-height: 1; cursor: pointer; color: var(--muted); }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); padding: 1.25rem;
  box-shadow: 0 1px 2px rgba(30, 20, 60, .06); min-width: 0; }
.columns { display: grid; gap: 1rem; grid-template-columns: minmax(0, 1fr) minmax(0, 1.2fr); align-items: start; }
.stack { display: grid; gap: 1rem; min-width: 0; align-items: start; }
/* Without a connection there is no chat: the player and the songs take the whole width. */
body:not(.is-connected) .columns:has(.stack) { grid-template-columns: minmax(0, 1fr); }
body:not(.is-connected) .stack { grid-template-columns: minmax(0, 1fr) minmax(0, 1.4fr); }
@media (max-width: 52rem) { .columns, body:not(.is-connected) .stack { grid-template-columns: minmax(0, 1fr); } }
@media (min-width: 52rem) { .chat { position: sticky; top: 1rem; } }
@media (max-width: 40rem) { h1 { font-size: 1.6rem; } .bar nav { gap: .75rem; font-size: .95rem; } main { padding-top: 1rem; } }
.cover { --hue: 260; display: inline-grid; place-items: center; flex: none; width: 2.75rem; height: 2.75rem; border-radius: 10px;
  background: linear-gradient(135deg, hsl(var(--hue) 70% 55%), hsl(calc(var(--hue) + 50) 75% 40%));
  color: #fff; font-weight: 800; font-size: 1.2rem; }
.cover.large { width: 6rem; height: 6rem; font-size: 2.5rem; border-radius: 16px; }
${COVERS}
.now { display: flex; gap: 1rem; align-items: center; margin: .75rem 0 1rem; }
.now-title { font-size: 1.25rem; font-weight: 700; margin: 0; }
.now-artist { margin: 0; color: var(--muted); }
.progress { height: .5rem; background: var(--line); border-radius: 999px; overflow: hidden; }
.progress-fill { display: block; height: 100%; width: 0; background: linear-gradient(90deg, var(--primary), var(--accent)); transition: width .25s linear; }
.times { display: flex; justify-content: space-between; font-size: .85rem; color: var(--muted); margin: .25rem 0 1rem; font-variant-numeric: tabular-nums; }
.song-list { list-style: none; padding: 0; margin: 0; }
.song { display: flex; align-items: center; gap: .75rem; padding: .6rem 0; border-top: 1px solid var(--line); flex-wrap: wrap; }
.song:first-child { border-top: 0; }
.song-text { display: flex; flex-direction: column; flex: 1; min-width: 8rem; }
.song-title { font-weight: 600; }
.song-artist { color: var(--muted); font-size: .9rem; }
.song-actions { display: flex; gap: .4rem; }
.song.is-current .song-title { color: var(--primary); }
.song.is-current.is-playing .song-title::after { content: ' ♪'; color: var(--accent); }
body:not(.is-connected) .needs-connection { display: none; }
.notice { border-color: var(--accent); border-width: 2px; margin-bottom: 1rem; }
.notice-line { background: #ece7fb; border-radius: 10px; padding: .6rem 1rem; margin: 0 0 1rem; }
.notice-line .link { margin-left: .5rem; }
.verified { color: var(--ok); font-weight: 600; }
.chat-head { display: flex; align-items: center; gap: .5rem; flex-wrap: wrap; margin: .5rem 0; }
.chat-head select { flex: 1; min-width: 10rem; font: inherit; padding: .4rem; border-radius: 8px; border: 1px solid var(--line); }
.messages { list-style: none; margin: 0; padding: .5rem; height: 22rem; overflow-y: auto; background: #faf9fe;
  border: 1px solid var(--line); border-radius: 10px; display: flex; flex-direction: column; gap: .5rem; }
.messages .empty { color: var(--muted); text-align: center; margin: auto; }
.message { max-width: 85%; align-self: flex-start; background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: .45rem .7rem; }
.message.mine { align-self: flex-end; background: #efe9ff; border-color: #d9cdfb; }
.message .meta { font-size: .78rem; color: var(--muted); display: flex; gap: .4rem; flex-wrap: wrap; }
.message .author { font-weight: 700; color: var(--ink); }
.message .via { background: #fde6ee; color: #8a1d3f; border-radius: 999px; padding: 0 .4rem; }
.message p { margin: .15rem 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.card { display: flex; gap: .5rem; align-items: center; margin-top: .3rem; padding: .4rem .6rem; border-radius: 10px;
  background: #fff; border: 1px solid var(--line); text-decoration: none; color: var(--ink); }
.card-kind { font-size: 1.2rem; }
.card-title { font-weight: 700; display: block; }
.card-subtitle { color: var(--muted); font-size: .85rem; }
.composer { margin-top: .75rem; }
.composer label { font-weight: 600; display: block; margin-bottom: .25rem; }
.composer-row { display: flex; gap: .5rem; }
.composer-row input { flex: 1; min-width: 0; }
input:not([type="checkbox"]), select, textarea { font: inherit; padding: .5rem .7rem; border-radius: 10px; border: 1px solid #c9c2dd; background: #fff; color: var(--ink); }
.dialog { border: 0; border-radius: var(--radius); padding: 1.5rem; width: min(32rem, calc(100vw - 2rem)); box-shadow: 0 20px 60px rgba(20, 10, 50, .35); }
.dialog::backdrop { background: rgba(25, 15, 55, .55); }
.dialog-close { position: absolute; right: .75rem; top: .5rem; margin: 0; }
.dialog fieldset { border: 1px solid var(--line); border-radius: 10px; margin: 0 0 1rem; }
.dialog legend { font-weight: 600; padding: 0 .3rem; }
.dialog form > label { display: block; font-weight: 600; margin-bottom: .25rem; }
.dialog form > input { width: 100%; margin-bottom: 1rem; }
.share-song { font-weight: 600; }
.friend-list { list-style: none; margin: 0; padding: 0; }
.pick { display: flex; gap: .5rem; align-items: center; padding: .35rem 0; cursor: pointer; }
.pick input { width: 1.1rem; height: 1.1rem; }
.or { border-top: 1px solid var(--line); margin-top: 1.25rem; padding-top: 1rem; }
.powers { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); margin-bottom: 1rem; }
.power .scope { margin: 0; color: var(--muted); font-size: .85rem; }
.can li::marker { content: '✓  '; color: var(--ok); }
.cannot li::marker { content: '✗  '; color: var(--error); }
.open-in-parley { font-size: .9rem; }
`;

// Plain browser JavaScript (no build step). Everything it shows comes from Tunes's own
// endpoints: /api/* for actions and /events for live updates relayed from Parley.
export const SCRIPT = `'use strict';
(function () {
  var $ = function (id) { return document.getElementById(id); };

  function fmt(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  }

  // ---- The player: a progress bar that pretends to play. ----
  var player = { button: null, duration: 0, elapsed: 0, timer: null };
  var playPause = $('play-pause');

  function renderProgress() {
    var percent = player.duration ? Math.min(100, (player.elapsed / player.duration) * 100) : 0;
    $('progress-fill').style.width = percent + '%';
    $('progress').setAttribute('aria-valuenow', String(Math.round(percent)));
    $('elapsed').textContent = fmt(player.elapsed);
  }

  function currentSong() {
    return player.button ? player.button.closest('.song') : null;
  }

  function stop() {
    if (player.timer) clearInterval(player.timer);
    player.timer = null;
    if (playPause) playPause.textContent = 'Play';
    if (currentSong()) currentSong().classList.remove('is-playing');
  }

  function start() {
    if (player.elapsed >= player.duration) player.elapsed = 0;
    stop();
    playPause.textContent = 'Pause';
    currentSong().classList.add('is-playing');
    player.timer = setInterval(function () {
      player.elapsed += 1;
      renderProgress();
      if (player.elapsed >= player.duration) stop();
    }, 1000);
  }

  function load(button) {
    stop();
    player.button = button;
    player.duration = Number(button.dataset.duration);
    player.elapsed = 0;
    $('now-title').textContent = button.dataset.title;
    $('now-artist').textContent = button.dataset.artist;
    $('duration').textContent = fmt(player.duration);
    var cover = document.querySelector('.now .cover');
    cover.dataset.hue = button.dataset.hue;
    cover.textContent = button.dataset.title.slice(0, 1);
    document.querySelectorAll('.song').forEach(function (li) { li.classList.remove('is-current'); });
    button.closest('.song').classList.add('is-current');
    renderProgress();
  }

  if (playPause) {
    var first = document.querySelector('[data-play]');
    if (first) load(first);
    playPause.addEventListener('click', function () {
      if (player.timer) stop(); else start();
    });
  }

  // ---- Notices (with the transparency-log receipt and its Verify button). ----
  function notice(text, receipt) {
    var line = $('notice');
    if (!line) return;
    line.textContent = text;
    if (receipt !== undefined && receipt !== null) {
      line.appendChild(document.createTextNode(' Recorded in Parley\\'s transparency log as entry #' + receipt + '.'));
      var verify = document.createElement('button');
      verify.type = 'button';
      verify.className = 'link';
      verify.textContent = 'Verify';
      verify.addEventListener('click', function () {
        verify.disabled = true;
        verify.textContent = 'Verifying…';
        api('/api/receipts/' + receipt + '/verify', { method: 'POST' }).then(function (result) {
          var done = document.createElement('span');
          done.className = 'verified';
          done.textContent = ' ✓ Verified: entry #' + result.index + ' is in Parley\\'s signed log of ' + result.treeSize + ' entries.';
          verify.replaceWith(done);
        }, function (error) {
          verify.disabled = false;
          verify.textContent = 'Verify';
          line.appendChild(document.createTextNode(' ' + error.message));
        });
      });
      line.appendChild(verify);
    }
    line.hidden = false;
  }

  // ---- Talking to the Tunes server. ----
  var source = null;

  function showDisconnected(reason) {
    if (source) source.close();
    source = null;
    document.body.classList.remove('is-connected');
    var dialog = $('share-dialog');
    if (dialog && dialog.open) dialog.close();
    var slot = $('connection');
    if (!slot || slot.childElementCount > 0) return;
    var panel = $('connect-again-template').content.cloneNode(true);
    panel.querySelectorAll('[data-reason]').forEach(function (p) {
      p.hidden = p.dataset.reason !== (reason || 'ended');
    });
    slot.appendChild(panel);
  }

  function api(path, options) {
    options = options || {};
    var init = { method: options.method || 'GET', headers: { accept: 'application/json' } };
    if (options.body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    return fetch(path, init).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) return body;
        if (response.status === 401 && body.error === 'not_connected') showDisconnected(body.reason);
        throw new Error(body.message || 'Something went wrong (' + response.status + ').');
      });
    });
  }

  // ---- The share dialog. ----
  var dialog = $('share-dialog');
  var shareForm = $('share-form');
  var sharing = null;

  document.addEventListener('click', function (event) {
    var play = event.target.closest('[data-play]');
    if (play && playPause) { load(play); start(); return; }
    var share = event.target.closest('[data-share]');
    if (share && dialog) {
      sharing = { id: share.dataset.share, title: share.dataset.title, artist: share.dataset.artist };
      $('share-title').textContent = 'Share “' + sharing.title + '”';
      $('share-song').textContent = sharing.title + ' — ' + sharing.artist;
      $('share-song-id').value = sharing.id;
      $('share-on-parley').href = '/songs/' + encodeURIComponent(sharing.id) + '/share-on-parley';
      $('share-error').hidden = true;
      shareForm.reset();
      $('share-song-id').value = sharing.id;
      dialog.showModal();
    }
  });

  if (shareForm) {
    shareForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var picked = Array.prototype.slice.call(shareForm.querySelectorAll('input[name="friendIds"]:checked'));
      var error = $('share-error');
      if (picked.length === 0) {
        error.textContent = 'Pick at least one friend.';
        error.hidden = false;
        return;
      }
      var submit = shareForm.querySelector('button[type="submit"]');
      submit.disabled = true;
      api('/api/share', {
        method: 'POST',
        body: {
          songId: $('share-song-id').value,
          friendIds: picked.map(function (input) { return input.value; }),
          note: $('share-note').value,
        },
      }).then(function (result) {
        dialog.close();
        var names = result.items.map(function (item) { return item.friendName; }).join(', ');
        notice('Sent “' + result.song.title + '” to ' + names + '.', result.items[0] && result.items[0].receipt);
        if (result.items[0]) loadConversations(result.items[0].threadId);
      }, function (failure) {
        error.textContent = failure.message;
        error.hidden = false;
      }).finally(function () { submit.disabled = false; });
    });
  }

  // ---- The conversation panel. ----
  var chat = $('chat');
  if (!chat || chat.dataset.canRead !== 'yes') return;
  var me = chat.dataset.me;
  var parleyUrl = chat.dataset.parleyUrl;
  var select = $('conversation-select');
  var list = $('messages');
  var input = $('message-input');
  var sendButton = $('send-button');
  var current = null;
  var known = {};

  function safeUrl(url) {
    return /^https?:\\/\\//i.test(url || '') ? url : null;
  }

  function renderMessage(message) {
    var li = document.createElement('li');
    li.className = 'message' + (message.author.id === me ? ' mine' : '');
    li.dataset.id = message.id;
    var meta = document.createElement('span');
    meta.className = 'meta';
    var author = document.createElement('span');
    author.className = 'author';
    author.textContent = message.author.id === me ? 'You' : message.author.displayName;
    var time = document.createElement('time');
    time.dateTime = message.createdAt;
    time.textContent = new Date(message.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    meta.append(author, time);
    if (message.via) {
      var via = document.createElement('span');
      via.className = 'via';
      via.textContent = 'via ' + message.via.name;
      meta.append(via);
    }
    li.append(meta);
    if (message.text) {
      var p = document.createElement('p');
      p.textContent = message.text;
      li.append(p);
    }
    if (message.card) {
      var url = safeUrl(message.card.url);
      var card = document.createElement(url ? 'a' : 'div');
      card.className = 'card';
      if (url) { card.href = url; card.target = '_blank'; card.rel = 'noopener noreferrer'; }
      var kind = document.createElement('span');
      kind.className = 'card-kind';
      kind.setAttribute('aria-hidden', 'true');
      kind.textContent = message.card.kind === 'song' ? '♪' : message.card.kind === 'show' ? '▶' : '↗';
      var text = document.createElement('span');
      var title = document.createElement('span');
      title.className = 'card-title';
      title.textContent = message.card.title;
      text.append(title);
      if (message.card.subtitle) {
        var subtitle = document.createElement('span');
        subtitle.className = 'card-subtitle';
        subtitle.textContent = message.card.subtitle;
        text.append(subtitle);
      }
      card.append(kind, text);
      li.append(card);
    }
    return li;
  }

  function append(message) {
    if (list.querySelector('[data-id="' + message.id + '"]')) return;
    var empty = list.querySelector('.empty');
    if (empty) empty.remove();
    list.append(renderMessage(message));
    list.scrollTop = list.scrollHeight;
  }

  function showMessages(threadId) {
    current = threadId;
    select.value = threadId;
    var open = $('open-in-parley');
    open.href = parleyUrl + '/t/' + encodeURIComponent(threadId);
    open.hidden = false;
    input.disabled = false;
    sendButton.disabled = false;
    var option = select.querySelector('option[value="' + threadId + '"]');
    if (option) option.textContent = known[threadId].label;
    return api('/api/conversations/' + encodeURIComponent(threadId) + '/messages').then(function (page) {
      if (current !== threadId) return;
      list.replaceChildren();
      if (page.items.length === 0) {
        var empty = document.createElement('li');
        empty.className = 'empty';
        empty.textContent = 'No messages yet.';
        list.append(empty);
      }
      page.items.forEach(append);
    });
  }

  function loadConversations(open) {
    return api('/api/conversations').then(function (page) {
      known = {};
      select.replaceChildren();
      page.items.forEach(function (thread) {
        known[thread.id] = thread;
        var option = document.createElement('option');
        option.value = thread.id;
        option.textContent = thread.label;
        select.append(option);
      });
      if (page.items.length === 0) {
        var none = document.createElement('option');
        none.value = '';
        none.textContent = 'No conversations yet';
        select.append(none);
        select.disabled = true;
        return;
      }
      select.disabled = false;
      var wanted = open && known[open] ? open : current && known[current] ? current : page.items[0].id;
      return showMessages(wanted);
    }).catch(function (error) { chatError(error.message); });
  }

  function chatError(text) {
    var line = $('chat-error');
    line.textContent = text;
    line.hidden = !text;
  }

  select.addEventListener('change', function () {
    if (select.value) showMessages(select.value).catch(function (error) { chatError(error.message); });
  });

  $('send-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || !current) return;
    sendButton.disabled = true;
    api('/api/conversations/' + encodeURIComponent(current) + '/messages', { method: 'POST', body: { text: text } })
      .then(function (result) {
        input.value = '';
        chatError('');
        append(result.message);
      }, function (error) { chatError(error.message); })
      .finally(function () { sendButton.disabled = false; input.focus(); });
  });

  function connectLive() {
    source = new EventSource('/events');
    source.addEventListener('ready', function () {
      // Live again: fetch what may have arrived while the stream was down.
      loadConversations(current);
    });
    source.addEventListener('message.created', function (event) {
      var message = JSON.parse(event.data).message;
      if (message.threadId === current) append(message);
      else if (!known[message.threadId]) loadConversations(current);
      else {
        var option = select.querySelector('option[value="' + message.threadId + '"]');
        if (option) option.textContent = known[message.threadId].label + ' • new';
      }
    });
    source.addEventListener('message.deleted', function (event) {
      var data = JSON.parse(event.data);
      var li = list.querySelector('[data-id="' + data.messageId + '"]');
      if (li) li.remove();
    });
    source.addEventListener('disconnected', function (event) {
      showDisconnected(JSON.parse(event.data).reason);
    });
  }

  loadConversations(chat.dataset.open || null);
  connectLive();
})();
`;
