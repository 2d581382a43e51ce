// Tunes: a small music player and a Parley partner app. It connects a person's Parley account
// through OAuth, shares songs as them (directly to friends who also use Tunes, or through
// Parley's share dialog), shows the conversations started through Tunes with live replies, and
// lets go the moment Parley says its access ended. It uses only @parley/sdk and the public API.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  ParleyApiError,
  ParleyOAuthError,
  ParleyRateLimitError,
  ParleyVerificationError,
  ParleyWebhookError,
  ReceiptVerifier,
  receiptOf,
  shareUrl,
  verifyWebhook,
  type Friend,
  type PendingAuthorization,
  type ScopeName,
  type SeenTreeHead,
} from '@parley/sdk';
import { ICON, SCRIPT, STYLESHEET } from './assets.js';
import { songById, songCard } from './catalogue.js';
import type { Html } from './html.js';
import { createLiveRelay, type LiveRelay, type PageEvent } from './live.js';
import { homePage, messagePage, permissionsPage, welcomePage } from './pages.js';
import { createParley, NotConnectedError, type Parley } from './parley.js';
import { idList, pendingMap } from './pending.js';
import { openStore, SESSION_MAX_AGE_MS, type Person, type Store } from './store.js';

export interface TunesOptions {
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The URL people use, e.g. http://localhost:8081; the OAuth redirect URI is `${publicUrl}/callback`. */
  publicUrl: string;
  parleyUrl: string;
  clientId: string;
  clientSecret: string;
  /** Verifies Parley's webhooks (grant.revoked); without it /webhooks/parley answers 404. */
  webhookSecret?: string;
  /** Where tunes.json (people, tokens, sessions) is kept. */
  dataDir: string;
  /** true, false, or a pino level (e.g. "warn"). */
  logger?: boolean | string;
}

/** Exactly what Tunes registered in Parley: all required except offline_access. */
export const TUNES_SCOPES = [
  'openid',
  'profile',
  'friends.read',
  'messages.send',
  'messages.read',
  'offline_access',
] as const satisfies readonly ScopeName[];

// Cookie names must not collide with Parley's (parley_session, _session, _interaction…): every
// demo app shares the host localhost, and cookies ignore ports.
export const SESSION_COOKIE = 'tunes_session';
export const OAUTH_COOKIE = 'tunes_oauth';

const SESSION_MAX_AGE_SECONDS = SESSION_MAX_AGE_MS / 1000;
const OAUTH_MAX_AGE_SECONDS = 10 * 60;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

interface Deps {
  options: TunesOptions;
  publicUrl: URL;
  store: Store;
  parley: Parley;
  relay: LiveRelay;
}

/** Tunes without listening: `inject()` or `listen()` it. */
export async function buildTunes(options: TunesOptions): Promise<FastifyInstance> {
  const publicUrl = new URL(options.publicUrl);
  const app = Fastify({
    logger: typeof options.logger === 'string' ? { level: options.logger } : (options.logger ?? false),
  });
  const store = await openStore(options.dataDir, 'tunes.json');
  const parley = createParley({
    parleyUrl: options.parleyUrl.replace(/\/+$/, ''),
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    redirectUri: new URL('/callback', publicUrl).href,
    scopes: TUNES_SCOPES,
    store,
    // Called only later, when a connection ends: the relay exists by then.
    onLost: (sub, reason) => relay.disconnected(sub, reason),
  });
  const relay = createLiveRelay(parley, app.log);
  const deps: Deps = { options, publicUrl, store, parley, relay };

  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  addSafety(app, publicUrl);
  app.setErrorHandler((error, request, reply) => handleError(deps, error, request, reply));
  app.addHook('preClose', async () => relay.close());

  pageRoutes(app, deps);
  apiRoutes(app, deps);
  await app.register(async (scope) => webhookRoute(scope, deps));
  return app;
}

export async function startTunes(options: TunesOptions): Promise<{ url: string; close(): Promise<void> }> {
  const app = await buildTunes(options);
  await app.listen({ port: options.port, host: options.host ?? '127.0.0.1' });
  return { url: options.publicUrl, close: () => app.close() };
}

/** Security headers, one canonical host, and same-origin form posts. */
function addSafety(app: FastifyInstance, publicUrl: URL): void {
  app.addHook('onRequest', async (request, reply) => {
    // localhost and 127.0.0.1 are different sites to a browser: cookies set on one are not sent
    // to the other, so the OAuth return (to publicUrl) would lose the person. Send them there first.
    const host = request.headers.host ?? '';
    const hostname = host.replace(/:\d+$/, '');
    const isGet = request.method === 'GET' || request.method === 'HEAD';
    if (isGet && host !== publicUrl.host && LOOPBACK.has(hostname) && LOOPBACK.has(publicUrl.hostname)) {
      return reply.redirect(new URL(request.url, publicUrl).href, 307);
    }
    // CSRF: a state-changing request must come from a Tunes page (Parley's webhook is signed instead).
    if (!isGet && request.url !== '/webhooks/parley' && request.headers.origin !== publicUrl.origin) {
      return reply
        .code(403)
        .send({ error: 'forbidden', message: 'This request did not come from a Tunes page.' });
    }
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header(
      'content-security-policy',
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
  });
}

function sessionPerson(deps: Deps, request: FastifyRequest): Person | null {
  const id = request.cookies[SESSION_COOKIE];
  return id ? (deps.store.sessionPerson(id) ?? null) : null;
}

/** The signed-in person with a working connection; otherwise NotConnectedError ("Connect again"). */
function connectedPerson(deps: Deps, request: FastifyRequest): Person {
  const person = sessionPerson(deps, request);
  if (!person) throw new NotConnectedError('ended');
  if (!person.tokens) throw new NotConnectedError(person.lostAccess ?? 'ended');
  return person;
}

function sendPage(reply: FastifyReply, page: Html, status = 200) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(page.value);
}

const isApiRequest = (request: FastifyRequest) =>
  request.url.startsWith('/api/') || request.url.startsWith('/events');

/** A failure as the browser should see it: JSON for the page's script, a page for a navigation. */
function handleError(deps: Deps, error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const person = sessionPerson(deps, request);
  let status = 500;
  let code = 'internal';
  let message = 'Something went wrong in Tunes. Try again.';
  if (error instanceof NotConnectedError) {
    // A page goes home, which offers "Connect again"; the page's script shows the same panel.
    if (!isApiRequest(request)) return reply.redirect('/', 303);
    return reply.code(401).send({
      error: 'not_connected',
      reason: error.reason,
      message: 'Tunes is no longer connected to your Parley account.',
    });
  }
  if (error instanceof ParleyRateLimitError) {
    status = 429;
    code = 'rate_limited';
    message = `Parley asks Tunes to slow down. Try again in ${error.retryAfterSeconds} s.`;
  } else if (error instanceof ParleyApiError) {
    // Parley refused: pass on its 4xx and its own words; a 5xx of Parley's is a bad gateway here.
    status = error.status >= 400 && error.status < 500 ? error.status : 502;
    code = error.code;
    message = `Parley said: ${error.detail ?? error.title}`;
  } else if (isNetworkFailure(error)) {
    status = 502;
    code = 'parley_unreachable';
    message = 'Tunes cannot reach Parley right now. Is it running? Try again in a moment.';
  } else if (isClientError(error)) {
    status = error.statusCode;
    code = 'bad_request';
    message = error.message;
  } else {
    request.log.error({ err: error }, 'unexpected error');
  }
  if (isApiRequest(request)) return reply.code(status).send({ error: code, message });
  return sendPage(reply, messagePage({ person, title: 'That did not work', text: message }), status);
}

/** Node's fetch rejects with TypeError("fetch failed") when the network fails (Parley is down, say). */
function isNetworkFailure(error: unknown): boolean {
  return error instanceof TypeError && error.message === 'fetch failed';
}

function isClientError(error: unknown): error is { statusCode: number; message: string } {
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500;
}

function cookieOptions(deps: Deps, maxAge: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: deps.publicUrl.protocol === 'https:',
    maxAge,
  };
}

/** The label of a conversation in the chat panel: the other people in it (or its title). */
function conversationLabel(
  thread: { title: string | null; participants: { id: string; displayName: string }[] },
  me: string,
) {
  if (thread.title) return thread.title;
  const others = thread.participants.filter((p) => p.id !== me).map((p) => p.displayName);
  return others.length > 0 ? others.join(', ') : 'Just you';
}

function pageRoutes(app: FastifyInstance, deps: Deps): void {
  const { parley, store, options } = deps;
  const pendingAuthorizations = pendingMap<PendingAuthorization>(OAUTH_MAX_AGE_SECONDS * 1000);
  const pendingShares = pendingMap<{ sub: string; songId: string }>(60 * 60 * 1000);

  app.get('/healthz', async () => ({ ok: true }));

  app.get('/assets/tunes.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(STYLESHEET),
  );
  app.get('/assets/icon.svg', async (_request, reply) =>
    reply.type('image/svg+xml').header('cache-control', 'max-age=86400').send(ICON),
  );
  app.get('/assets/tunes.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(SCRIPT),
  );

  app.get<{ Querystring: { conversation?: string; shared?: string } }>('/', async (request, reply) => {
    const person = sessionPerson(deps, request);
    if (!person?.tokens) return sendPage(reply, welcomePage({ person }));
    let friends: Friend[] | null = null;
    let friendsProblem: string | null = null;
    if (person.tokens.scopes.includes('friends.read')) {
      try {
        friends = (await parley.withClient(person.sub, (client) => client.friends())).items;
      } catch (error) {
        if (error instanceof NotConnectedError)
          return sendPage(reply, welcomePage({ person: store.person(person.sub) ?? null }));
        request.log.warn({ err: error }, 'could not list friends');
        friendsProblem =
          'Parley did not answer just now, so Tunes cannot list your friends. Reload to try again.';
      }
    } else {
      friendsProblem =
        'You did not let Tunes see which of your friends use Tunes. Share on Parley… still works.';
    }
    const shared = songById(request.query.shared ?? '');
    const [conversation] = idList(request.query.conversation);
    return sendPage(
      reply,
      homePage({
        person,
        friends,
        friendsProblem,
        parleyUrl: parley.parleyUrl,
        notice: shared
          ? `Shared “${shared.title}” through Parley. Replies will show up in the conversation.`
          : null,
        conversation: conversation ?? null,
        canRead: person.tokens.scopes.includes('messages.read'),
      }),
    );
  });

  app.get('/connect', async (_request, reply) => {
    const { url, pending } = await parley.startAuthorization();
    reply.setCookie(
      OAUTH_COOKIE,
      pendingAuthorizations.put(pending),
      cookieOptions(deps, OAUTH_MAX_AGE_SECONDS),
    );
    return reply.redirect(url.href, 303);
  });

  // The redirect URI Tunes registered. Parley sends two things here: the end of OAuth (code or
  // error), and the way back from its share dialog (state, threads, messages).
  app.get<{ Querystring: Record<string, string | undefined> }>('/callback', async (request, reply) => {
    const person = sessionPerson(deps, request);
    const { state } = request.query;
    const share = state ? pendingShares.take(state) : undefined;
    if (share) {
      const [thread] = idList(request.query.threads);
      if (!person || person.sub !== share.sub || !thread) return reply.redirect('/', 303);
      const query = new URLSearchParams({ conversation: thread, shared: share.songId });
      return reply.redirect(`/?${query.toString()}`, 303);
    }

    const key = request.cookies[OAUTH_COOKIE];
    reply.clearCookie(OAUTH_COOKIE, { path: '/' });
    const pending = key ? pendingAuthorizations.take(key) : undefined;
    if (!pending) {
      return sendPage(
        reply,
        messagePage({
          person,
          title: 'Let’s try that again',
          text: 'This link from Parley has expired or was already used. Start connecting again from Tunes.',
        }),
        400,
      );
    }
    let connected: Person;
    try {
      connected = await parley.finishAuthorization(new URL(request.url, deps.publicUrl), pending);
    } catch (error) {
      if (!(error instanceof ParleyOAuthError)) throw error;
      const isDenied = error.error === 'access_denied';
      return sendPage(
        reply,
        messagePage({
          person,
          title: isDenied ? 'Tunes is not connected' : 'Connecting did not work',
          text: isDenied
            ? 'You chose not to connect Tunes, so Parley shared nothing with it. You can connect whenever you like.'
            : `Parley did not connect Tunes: ${error.errorDescription ?? error.error}.`,
        }),
        isDenied ? 200 : 400,
      );
    }
    const previous = request.cookies[SESSION_COOKIE];
    if (previous) await store.deleteSession(previous);
    const sessionId = randomBytes(32).toString('base64url');
    await store.addSession(sessionId, connected.sub);
    reply.setCookie(SESSION_COOKIE, sessionId, cookieOptions(deps, SESSION_MAX_AGE_SECONDS));
    return reply.redirect('/', 303);
  });

  app.get<{ Params: { id: string } }>('/songs/:id/share-on-parley', async (request, reply) => {
    const person = sessionPerson(deps, request);
    const song = songById(request.params.id);
    if (!person || !song) return reply.redirect('/', 303);
    const url = shareUrl({
      parleyUrl: parley.parleyUrl,
      clientId: options.clientId,
      card: songCard(song),
      // Parley accepts only a registered redirect URI; /callback tells the two returns apart by state.
      redirectUri: new URL('/callback', deps.publicUrl).href,
      state: pendingShares.put({ sub: person.sub, songId: song.id }),
    });
    return reply.redirect(url.href, 303);
  });

  app.get('/permissions', async (request, reply) => {
    const person = connectedPerson(deps, request);
    const permissions = await parley.withClient(person.sub, (client) => client.permissions());
    return sendPage(reply, permissionsPage({ person, permissions, parleyUrl: parley.parleyUrl }));
  });

  app.post('/logout', async (request, reply) => {
    const id = request.cookies[SESSION_COOKIE];
    if (id) await store.deleteSession(id);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });
}

function apiRoutes(app: FastifyInstance, deps: Deps): void {
  const { parley } = deps;
  // Each new signed tree head must extend the last one seen, whoever's receipt was checked.
  let lastSeen: SeenTreeHead | undefined;

  app.get('/api/conversations', async (request) => {
    const person = connectedPerson(deps, request);
    const threads = await parley.withClient(person.sub, (client) => client.threads());
    return {
      items: threads.items.map((thread) => ({
        id: thread.id,
        label: conversationLabel(thread, person.sub),
        updatedAt: thread.updatedAt,
      })),
    };
  });

  app.get<{ Params: { id: string } }>('/api/conversations/:id/messages', async (request) => {
    const person = connectedPerson(deps, request);
    const page = await parley.withClient(person.sub, (client) =>
      client.messages(request.params.id, { limit: 50 }),
    );
    // Parley lists newest first; a chat reads oldest first.
    return { items: [...page.items].reverse() };
  });

  app.post<{ Params: { id: string }; Body: { text: string } }>(
    '/api/conversations/:id/messages',
    {
      schema: {
        body: {
          type: 'object',
          required: ['text'],
          properties: { text: { type: 'string', minLength: 1, maxLength: 10_000 } },
        },
      },
    },
    async (request, reply) => {
      const person = connectedPerson(deps, request);
      const message = await parley.withClient(person.sub, (client) =>
        client.sendMessage({ to: request.params.id, text: request.body.text }),
      );
      return reply.code(201).send({ message, receipt: receiptOf(message)?.[0] ?? null });
    },
  );

  app.post<{ Body: { songId: string; friendIds: string[]; note?: string } }>(
    '/api/share',
    {
      schema: {
        body: {
          type: 'object',
          required: ['songId', 'friendIds'],
          properties: {
            songId: { type: 'string' },
            friendIds: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 20 },
            note: { type: 'string', maxLength: 1000 },
          },
        },
      },
    },
    async (request, reply) => {
      const person = connectedPerson(deps, request);
      const song = songById(request.body.songId);
      if (!song) return reply.code(404).send({ error: 'song_not_found', message: 'Tunes has no such song.' });
      const note = request.body.note?.trim();
      const items = await parley.withClient(person.sub, async (client) => {
        const friends = (await client.friends()).items;
        const sent = [];
        for (const friendId of new Set(request.body.friendIds)) {
          const friend = friends.find((f) => f.id === friendId);
          if (!friend) continue;
          const message = await client.sendMessage({
            to: friendId,
            card: songCard(song),
            ...(note ? { text: note } : {}),
          });
          sent.push({
            friendId,
            friendName: friend.displayName,
            threadId: message.threadId,
            messageId: message.id,
            receipt: receiptOf(message)?.[0] ?? null,
          });
        }
        return sent;
      });
      if (items.length === 0) {
        return reply.code(400).send({ error: 'no_friends', message: 'Pick friends who use Tunes.' });
      }
      return reply.code(201).send({ song: { id: song.id, title: song.title }, items });
    },
  );

  app.post<{ Params: { index: string } }>('/api/receipts/:index/verify', async (request, reply) => {
    const person = connectedPerson(deps, request);
    const index = Number(request.params.index);
    if (!Number.isSafeInteger(index) || index < 0) {
      return reply.code(400).send({ error: 'bad_index', message: 'That is not a log entry number.' });
    }
    try {
      const result = await parley.withClient(person.sub, async (client) => {
        const verifier = new ReceiptVerifier({ client, ...(lastSeen ? { lastSeen } : {}) });
        const verified = await verifier.verify(index);
        lastSeen = verifier.lastSeen ?? lastSeen;
        return verified;
      });
      return { ok: true, ...result };
    } catch (error) {
      if (!(error instanceof ParleyVerificationError)) throw error;
      return reply
        .code(422)
        .send({ error: 'not_verified', step: error.step, message: `Not verified: ${error.message}` });
    }
  });

  // The page's live feed: Parley's events for this person, relayed while the page is open.
  // Open streams never go idle, so they are ended when Tunes closes, or closing would wait forever.
  const openStreams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const res of openStreams) res.end();
  });
  app.get('/events', (request, reply) => {
    const person = sessionPerson(deps, request);
    if (!person)
      return reply.code(401).send({ error: 'not_connected', reason: 'ended', message: 'Not signed in.' });
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    const send = (event: PageEvent) => res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    // How long the browser waits before reconnecting a dropped stream.
    res.write('retry: 3000\n\n');
    if (!person.tokens) {
      send({ type: 'disconnected', reason: person.lostAccess ?? 'ended' });
      res.end();
      return;
    }
    const unsubscribe = deps.relay.subscribe(person.sub, (event) => {
      send(event);
      if (event.type === 'disconnected') res.end();
    });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), 25_000);
    heartbeat.unref();
    openStreams.add(res);
    // The response closes when the browser goes away (or Tunes ends the stream).
    res.on('close', () => {
      clearInterval(heartbeat);
      openStreams.delete(res);
      unsubscribe();
    });
  });
}

function webhookRoute(scope: FastifyInstance, deps: Deps): void {
  const { options, store, parley } = deps;
  // The signature is over the exact bytes Parley sent: keep the body as text, parse after checking.
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  const seen = new Set<string>();

  scope.post<{ Body: string }>('/webhooks/parley', async (request, reply) => {
    if (!options.webhookSecret)
      return reply.code(404).send({ error: 'not_found', message: 'Webhooks are not set up.' });
    let event;
    try {
      event = await verifyWebhook({
        secret: options.webhookSecret,
        signatureHeader: request.headers['parley-signature'] as string | undefined,
        body: typeof request.body === 'string' ? request.body : '',
      });
    } catch (error) {
      if (!(error instanceof ParleyWebhookError)) throw error;
      request.log.warn({ reason: error.reason }, 'refused a webhook');
      return reply.code(400).send({ error: error.reason, message: error.message });
    }
    // At least once: a retried delivery has the same id.
    if (seen.has(event.id)) return reply.code(204).send();
    seen.add(event.id);
    if (seen.size > 1000) seen.delete(seen.values().next().value!);

    switch (event.type) {
      case 'grant.revoked':
      case 'grant.expired': {
        const { userId, clientId, grantId } = event.data;
        const person = store.person(userId);
        // Only this app's grant, and only the one these tokens belong to (not a newer connection).
        if (clientId !== options.clientId || !person) break;
        if (person.grantId && person.grantId !== grantId) break;
        await parley.lose(userId, event.type === 'grant.revoked' ? 'revoked' : 'expired');
        break;
      }
      case 'message.created':
        // Tunes shows messages only while a page is open, from the live stream; nothing to keep.
        break;
    }
    return reply.code(204).send();
  });
}
