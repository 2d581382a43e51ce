// Flicks: recommend a show to a friend, and a Parley partner app that can send but never read.
// It holds only messages.send (with openid and profile): the person picks friends on Parley's
// share dialog, which hands back the conversations and messages it created, and Flicks uses
// messages.send for exactly what that scope is for: a follow-up in those conversations, and
// taking back its own messages. It uses only @parley/sdk and the public API.
import { randomBytes } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  ParleyApiError,
  ParleyOAuthError,
  ParleyRateLimitError,
  ParleyWebhookError,
  receiptOf,
  shareUrl,
  verifyWebhook,
  type PendingAuthorization,
  type ScopeName,
} from '@parley/sdk';
import { ICON, STYLESHEET } from './assets.js';
import { showById, showCard } from './catalogue.js';
import type { Html } from './html.js';
import { homePage, messagePage, permissionsPage, welcomePage } from './pages.js';
import { createParley, NotConnectedError, type Parley } from './parley.js';
import { idList, pendingMap } from './pending.js';
import {
  openStore,
  SESSION_MAX_AGE_MS,
  type Person,
  type Recommendation,
  type SentMessage,
  type Store,
} from './store.js';

export interface FlicksOptions {
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The URL people use, e.g. http://localhost:8082; the OAuth redirect URI is `${publicUrl}/callback`. */
  publicUrl: string;
  parleyUrl: string;
  clientId: string;
  clientSecret: string;
  /** Verifies Parley's webhooks (grant.revoked); without it /webhooks/parley answers 404. */
  webhookSecret?: string;
  /** Where flicks.json (people, tokens, recommendations, sessions) is kept. */
  dataDir: string;
  /** true, false, or a pino level (e.g. "warn"). */
  logger?: boolean | string;
}

/** Exactly what Flicks registered in Parley: nothing that reads. */
export const FLICKS_SCOPES = ['openid', 'profile', 'messages.send'] as const satisfies readonly ScopeName[];

// Cookie names must not collide with Parley's (parley_session, _session, _interaction…) or
// Tunes's: every demo app shares the host localhost, and cookies ignore ports.
export const SESSION_COOKIE = 'flicks_session';
export const OAUTH_COOKIE = 'flicks_oauth';

const SESSION_MAX_AGE_SECONDS = SESSION_MAX_AGE_MS / 1000;
const OAUTH_MAX_AGE_SECONDS = 10 * 60;
/** Recommendations kept per person, newest first. */
const MAX_RECOMMENDATIONS = 50;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

interface Deps {
  options: FlicksOptions;
  publicUrl: URL;
  store: Store;
  parley: Parley;
}

/** Flicks without listening: `inject()` or `listen()` it. */
export async function buildFlicks(options: FlicksOptions): Promise<FastifyInstance> {
  const publicUrl = new URL(options.publicUrl);
  const app = Fastify({
    logger: typeof options.logger === 'string' ? { level: options.logger } : (options.logger ?? false),
  });
  const store = await openStore(options.dataDir, 'flicks.json');
  const parley = createParley({
    parleyUrl: options.parleyUrl.replace(/\/+$/, ''),
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    redirectUri: new URL('/callback', publicUrl).href,
    scopes: FLICKS_SCOPES,
    store,
  });
  const deps: Deps = { options, publicUrl, store, parley };

  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  addSafety(app, publicUrl);
  app.setErrorHandler((error, request, reply) => handleError(deps, error, request, reply));

  pageRoutes(app, deps);
  recommendationRoutes(app, deps);
  await app.register(async (scope) => webhookRoute(scope, deps));
  return app;
}

export async function startFlicks(options: FlicksOptions): Promise<{ url: string; close(): Promise<void> }> {
  const app = await buildFlicks(options);
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
    // CSRF: a state-changing request must come from a Flicks page (Parley's webhook is signed instead).
    if (!isGet && request.url !== '/webhooks/parley' && request.headers.origin !== publicUrl.origin) {
      return reply.code(403).type('text/plain').send('This request did not come from a Flicks page.');
    }
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header(
      'content-security-policy',
      "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
  });
}

function sessionPerson(deps: Deps, request: FastifyRequest): Person | null {
  const id = request.cookies[SESSION_COOKIE];
  return id ? (deps.store.sessionPerson(id) ?? null) : null;
}

/** The signed-in person with a working connection; otherwise the home page offers "Connect again". */
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

function handleError(deps: Deps, error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const person = sessionPerson(deps, request);
  if (error instanceof NotConnectedError) return reply.redirect('/', 303);
  let status = 500;
  let text = 'Something went wrong in Flicks. Try again.';
  if (error instanceof ParleyRateLimitError) {
    status = 429;
    text = `Parley asks Flicks to slow down. Try again in ${error.retryAfterSeconds} s.`;
  } else if (error instanceof ParleyApiError) {
    status = error.status >= 400 && error.status < 500 ? error.status : 502;
    text = `Parley said: ${error.detail ?? error.title}`;
  } else if (isNetworkFailure(error)) {
    status = 502;
    text = 'Flicks cannot reach Parley right now. Is it running? Try again in a moment.';
  } else if (isClientError(error)) {
    status = error.statusCode;
    text = error.message;
  } else {
    request.log.error({ err: error }, 'unexpected error');
  }
  return sendPage(reply, messagePage({ person, title: 'That did not work', text }), status);
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

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The line at the top of the home page after an action (`?done=…&rec=…`). */
function noticeFor(person: Person, done: string | undefined, recId: string | undefined): string | null {
  const rec = person.recommendations.find((r) => r.id === recId);
  const title = rec ? (showById(rec.showId)?.title ?? 'the show') : null;
  if (!rec || !title) return null;
  switch (done) {
    case 'recommended':
      return `Recommended “${title}” in ${plural(rec.cards.length, 'conversation', 'conversations')} through Parley.`;
    case 'followed-up':
      return `Follow-up about “${title}” sent.`;
    case 'unsent':
      return `Unsent: “${title}” and its follow-ups are gone from those conversations.`;
    default:
      return null;
  }
}

function pageRoutes(app: FastifyInstance, deps: Deps): void {
  const { parley, store, options } = deps;
  const pendingAuthorizations = pendingMap<PendingAuthorization>(OAUTH_MAX_AGE_SECONDS * 1000);
  const pendingShares = pendingMap<{ sub: string; showId: string }>(60 * 60 * 1000);

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/assets/flicks.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(STYLESHEET),
  );
  app.get('/assets/icon.svg', async (_request, reply) =>
    reply.type('image/svg+xml').header('cache-control', 'max-age=86400').send(ICON),
  );

  app.get<{ Querystring: { done?: string; rec?: string } }>('/', async (request, reply) => {
    const person = sessionPerson(deps, request);
    if (!person?.tokens) return sendPage(reply, welcomePage({ person }));
    let permissions;
    try {
      permissions = await parley.withClient(person.sub, (client) => client.permissions());
    } catch (error) {
      if (error instanceof NotConnectedError)
        return sendPage(reply, welcomePage({ person: store.person(person.sub) ?? null }));
      throw error;
    }
    const notice = noticeFor(person, request.query.done, request.query.rec);
    return sendPage(reply, homePage({ person, permissions, notice }));
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

  // The redirect URI Flicks registered. Parley sends two things here: the end of OAuth (code or
  // error), and the way back from its share dialog (state, threads, messages).
  app.get<{ Querystring: Record<string, string | undefined> }>('/callback', async (request, reply) => {
    const person = sessionPerson(deps, request);
    const { state } = request.query;
    const share = state ? pendingShares.take(state) : undefined;
    if (share) {
      if (!person || person.sub !== share.sub) return reply.redirect('/', 303);
      const threads = idList(request.query.threads);
      const messages = idList(request.query.messages);
      // One message per conversation, in the same order.
      const cards: SentMessage[] = threads.flatMap((threadId, i) =>
        messages[i] ? [{ threadId, messageId: messages[i], receipt: null }] : [],
      );
      if (cards.length === 0) return reply.redirect('/', 303);
      const rec: Recommendation = {
        id: randomBytes(8).toString('base64url'),
        showId: share.showId,
        createdAt: new Date().toISOString(),
        cards,
        followUps: [],
        unsentAt: null,
        unsendReceipts: [],
      };
      await store.updatePerson(person.sub, (p) => {
        p.recommendations = [rec, ...p.recommendations].slice(0, MAX_RECOMMENDATIONS);
      });
      return reply.redirect(`/?done=recommended&rec=${rec.id}#rec-${rec.id}`, 303);
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
          text: 'This link from Parley has expired or was already used. Start again from Flicks.',
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
          title: isDenied ? 'Flicks is not connected' : 'Connecting did not work',
          text: isDenied
            ? 'You chose not to connect Flicks, so Parley shared nothing with it. You can connect whenever you like.'
            : `Parley did not connect Flicks: ${error.errorDescription ?? error.error}.`,
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

  app.get<{ Params: { id: string } }>('/shows/:id/recommend', async (request, reply) => {
    const person = connectedPerson(deps, request);
    const show = showById(request.params.id);
    if (!show) return reply.redirect('/', 303);
    const url = shareUrl({
      parleyUrl: parley.parleyUrl,
      clientId: options.clientId,
      card: showCard(show),
      // Parley accepts only a registered redirect URI; /callback tells the two returns apart by state.
      redirectUri: new URL('/callback', deps.publicUrl).href,
      state: pendingShares.put({ sub: person.sub, showId: show.id }),
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

function recommendationRoutes(app: FastifyInstance, deps: Deps): void {
  const { parley, store } = deps;

  function recommendationOf(person: Person, id: string): Recommendation {
    const rec = person.recommendations.find((r) => r.id === id);
    if (!rec) throw Object.assign(new Error('Flicks has no such recommendation.'), { statusCode: 404 });
    if (rec.unsentAt) throw Object.assign(new Error('That recommendation was unsent.'), { statusCode: 409 });
    return rec;
  }

  // messages.send to a conversation started through Flicks: the share dialog started these.
  app.post<{ Params: { id: string }; Body: { text?: string } }>(
    '/recommendations/:id/follow-up',
    async (request, reply) => {
      const person = connectedPerson(deps, request);
      const rec = recommendationOf(person, request.params.id);
      const text = (request.body.text ?? '').trim();
      if (!text || text.length > 1000) {
        throw Object.assign(new Error('Write a follow-up of at most 1,000 characters.'), { statusCode: 400 });
      }
      const sent: SentMessage[] = [];
      try {
        await parley.withClient(person.sub, async (client) => {
          for (const { threadId } of rec.cards) {
            // A retry after a refreshed token must not post twice where it already posted.
            if (sent.some((m) => m.threadId === threadId)) continue;
            const message = await client.sendMessage({ to: threadId, text });
            sent.push({ messageId: message.id, threadId, receipt: receiptOf(message)?.[0] ?? null });
          }
        });
      } finally {
        if (sent.length > 0) {
          await store.updatePerson(person.sub, (p) => {
            p.recommendations
              .find((r) => r.id === rec.id)
              ?.followUps.push({
                id: randomBytes(8).toString('base64url'),
                text,
                sentAt: new Date().toISOString(),
                messages: sent,
              });
          });
        }
      }
      return reply.redirect(`/?done=followed-up&rec=${rec.id}#rec-${rec.id}`, 303);
    },
  );

  // messages.send also lets an app delete the messages it sent: the cards the share dialog sent
  // "via" Flicks, and Flicks's follow-ups. Nobody else's.
  app.post<{ Params: { id: string } }>('/recommendations/:id/unsend', async (request, reply) => {
    const person = connectedPerson(deps, request);
    const rec = recommendationOf(person, request.params.id);
    const messageIds = [...rec.cards, ...rec.followUps.flatMap((f) => f.messages)].map((m) => m.messageId);
    const deleted = new Set<string>();
    const receipts: number[] = [];
    await parley.withClient(
      person.sub,
      async (client) => {
        for (const id of messageIds) {
          if (deleted.has(id)) continue;
          try {
            await client.deleteMessage(id);
          } catch (error) {
            // Already gone (deleted in Parley by the person): nothing left to take back.
            if (!(error instanceof ParleyApiError && error.status === 404)) throw error;
          }
          deleted.add(id);
        }
      },
      (receipt) => receipts.push(...receipt.indexes),
    );
    await store.updatePerson(person.sub, (p) => {
      const stored = p.recommendations.find((r) => r.id === rec.id);
      if (!stored) return;
      stored.unsentAt = new Date().toISOString();
      stored.unsendReceipts = receipts;
    });
    return reply.redirect(`/?done=unsent&rec=${rec.id}#rec-${rec.id}`, 303);
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

    if (event.type === 'grant.revoked' || event.type === 'grant.expired') {
      const { userId, clientId, grantId } = event.data;
      const person = store.person(userId);
      // Only this app's grant, and only the one these tokens belong to (not a newer connection).
      if (
        clientId === options.clientId &&
        person?.tokens &&
        (!person.grantId || person.grantId === grantId)
      ) {
        await parley.lose(userId, event.type === 'grant.revoked' ? 'revoked' : 'expired');
      }
    }
    return reply.code(204).send();
  });
}
