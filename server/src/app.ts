// buildApp(deps) assembles the platform and never listens: tests drive it with inject() or
// on an ephemeral port, and main.ts decides where it runs.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyMiddie from '@fastify/middie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import Fastify, { type FastifyServerOptions, type RouteOptions } from 'fastify';
import type { Config } from './config.js';
import { systemClock, type Clock } from './lib/clock.js';
import { createRateLimiter } from './lib/rate-limiter.js';
import { createPasswordHasher, type PasswordHasher } from './lib/password.js';
import { registerErrorHandling, sendProblem } from './http/plugins/errors.js';
import { registerMetrics } from './http/plugins/metrics.js';
import { registerOriginCheck } from './http/plugins/origin-check.js';
import { partnerRateRules, registerBearer } from './http/plugins/bearer.js';
import { registerSession } from './http/plugins/session.js';
import { registerWellFormedText } from './http/plugins/well-formed-text.js';
import { appsRoutes } from './http/routes/apps.routes.js';
import { authRoutes } from './http/routes/auth.routes.js';
import { consentRoutes } from './http/routes/consent.routes.js';
import { developerRoutes } from './http/routes/developer.routes.js';
import { partnerRoutes } from './http/routes/partner.routes.js';
import { shareRoutes } from './http/routes/share.routes.js';
import { transparencyRoutes } from './http/routes/transparency.routes.js';
import { eventRoutes } from './http/routes/events.routes.js';
import { friendRoutes } from './http/routes/friends.routes.js';
import { opsRoutes } from './http/routes/ops.routes.js';
import { threadRoutes } from './http/routes/threads.routes.js';
import { SESSION_COOKIE } from './http/route-config.js';
import type { App } from './http/types.js';
import { loadOrCreateOAuthKeys } from './oauth/keys.js';
import { apiResourceOf, createProvider, issuerOf } from './oauth/provider.js';
import { SCOPES } from './policy/scopes.js';
import { createUsageCounter, USAGE_FLUSH_INTERVAL_MS } from './services/usage.js';
import { createInProcessBus, type EventBus } from './realtime/bus.js';
import { createHub } from './realtime/hub.js';
import type { ServiceDeps } from './services/deps.js';
import { createServices } from './services/index.js';
import {
  CHECKPOINT_INTERVAL_MS,
  createTransparencyService,
  logOriginOf,
  receipts,
  type TransparencyService,
} from './services/transparency.service.js';
import { noWebhooks, type WebhookSink } from './services/webhook-sink.js';
import { createWebhookDispatcher, type WebhookDispatcher } from './services/webhook-dispatcher.js';
import { createWebhookService } from './services/webhook.service.js';
import type { Storage } from './storage/database.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Sends partner webhooks (every second once ready); tests call runDue() with a manual clock. */
    webhookDispatcher: WebhookDispatcher;
  }
}

export interface AppDeps {
  config: Config;
  storage: Storage;
  bus?: EventBus;
  clock?: Clock;
  passwords?: PasswordHasher;
  logger?: FastifyServerOptions['logger'];
  webhooks?: WebhookSink;
}

/** Large enough for a 10,000-character message with a card; anything bigger is refused (413). */
export const BODY_LIMIT = 256 * 1024;

/** Paths the web app must never answer with its index page. */
const API_PREFIXES = ['/api/', '/v1/', '/oauth/', '/docs', '/healthz', '/readyz', '/metrics'];

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats: AddFormats =
  (addFormatsModule as unknown as { default?: AddFormats }).default ??
  (addFormatsModule as unknown as AddFormats);

function createValidators() {
  const options = { useDefaults: true, removeAdditional: false, strict: false, allErrors: true } as const;
  // Bodies are JSON and keep their types: a number where a string belongs is refused, not
  // coerced. Query strings and path parameters are text and are coerced to the schema.
  const body = new Ajv({ ...options, coerceTypes: false });
  const text = new Ajv({ ...options, coerceTypes: 'array' });
  addFormats(body);
  addFormats(text);
  return { body, text };
}

export function serviceDepsOf(deps: AppDeps): ServiceDeps & { transparency: TransparencyService } {
  const clock = deps.clock ?? systemClock;
  const transparency = createTransparencyService({
    storage: deps.storage,
    clock,
    origin: logOriginOf(deps.config.publicUrl),
  });
  return {
    storage: deps.storage,
    bus: deps.bus ?? createInProcessBus(),
    clock,
    passwords: deps.passwords ?? createPasswordHasher(),
    grantExpiryDays: deps.config.grantExpiryDays,
    webhooks: deps.webhooks ?? noWebhooks,
    accessLog: transparency,
    usage: createUsageCounter({ storage: deps.storage, clock }),
    transparency,
  };
}

export async function buildApp(deps: AppDeps): Promise<App> {
  const { config } = deps;
  const baseDeps = serviceDepsOf(deps);
  // The platform queues partner webhooks unless told otherwise (tools pass noWebhooks).
  const serviceDeps: ServiceDeps = { ...baseDeps, webhooks: deps.webhooks ?? createWebhookService(baseDeps) };
  const hub = createHub(serviceDeps.bus);
  const apiResource = apiResourceOf(config);
  // The provider asks the services (is this browser's session that account? is there a current
  // grant?) only while handling requests, after both exist.
  const late: { services?: ReturnType<typeof createServices> } = {};
  const provider = createProvider({
    config,
    storage: deps.storage,
    clock: serviceDeps.clock,
    keys: await loadOrCreateOAuthKeys(deps.storage, serviceDeps.clock.now()),
    async isSessionOf(ctx, accountId) {
      const token = ctx.cookies.get(SESSION_COOKIE);
      if (!token || !accountId || !late.services) return false;
      return (await late.services.auth.personForToken(token))?.id === accountId;
    },
    currentGrantId: async (accountId, clientId) => late.services?.apps.currentGrantId(accountId, clientId),
    logError: (error, message) => app.log.error({ err: error }, message),
  });
  const services = createServices(
    { ...serviceDeps, transparency: baseDeps.transparency, provider, apiResource },
    hub,
  );
  late.services = services;

  const app = Fastify({
    logger: deps.logger ?? { level: config.logLevel },
    bodyLimit: BODY_LIMIT,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Kept so tests can walk every route and check that each declares its policy action.
  const routeTable: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    routeTable.push(route);
  });
  app.decorate('routeTable', routeTable);
  app.decorate('oauthProvider', provider);

  const validators = createValidators();
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? validators.body : validators.text).compile(schema),
  );
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    // Whatever a request wrote is on disk before its answer leaves (transactions already wait
    // for their own commit; this covers single writes, e.g. a session). See group-commit.ts.
    await deps.storage.durable();
  });
  app.addHook('onClose', async () => hub.close());
  // The signer: a checkpoint at most CHECKPOINT_INTERVAL_MS after the tree grew (the merge delay).
  let signing: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    signing = setInterval(() => {
      baseDeps.transparency
        .signPending()
        .catch((error: unknown) => app.log.error({ err: error }, 'checkpoint signing failed'));
    }, CHECKPOINT_INTERVAL_MS);
    signing.unref();
  });
  app.addHook('onClose', async () => clearInterval(signing));
  // Usage counts for the developer console, written once a second (see services/usage.ts).
  let usageTimer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    usageTimer = setInterval(() => {
      serviceDeps.usage
        .flush()
        .catch((error: unknown) => app.log.error({ err: error }, 'usage write failed'));
    }, USAGE_FLUSH_INTERVAL_MS);
    usageTimer.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(usageTimer);
    await serviceDeps.usage.flush().catch(() => undefined);
  });
  // Log before respond: each partner request collects the log indexes of what it recorded, and
  // the response names them in Access-Receipt.
  app.addHook('onRequest', (request, _reply, done) => {
    if (!request.url.startsWith('/v1/')) return done();
    receipts.run([], done);
  });
  app.addHook('onSend', async (_request, reply) => {
    const recorded = receipts.getStore();
    // Only a successful answer names its entries: a failed one may have rolled its entry back.
    if (recorded?.length && reply.statusCode < 400) void reply.header('access-receipt', recorded.join(', '));
  });
  const webhookDispatcher = createWebhookDispatcher({
    ...serviceDeps,
    onError: (error) => app.log.error({ err: error }, 'webhook dispatch failed'),
  });
  app.decorate('webhookDispatcher', webhookDispatcher);
  app.addHook('onReady', async () => webhookDispatcher.start());
  app.addHook('onClose', async () => webhookDispatcher.stop());

  // The WebSocket plugin's hooks must run before ours: it tags upgrade requests so that a
  // refused upgrade (origin, session) has its socket closed instead of left hanging.
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(fastifyCookie);
  registerErrorHandling(app);
  registerOriginCheck(app, config.allowedOrigins);
  registerWellFormedText(app);
  const metrics = registerMetrics(app, () => hub.connectionCount());
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Parley API',
        version: '0.1.0',
        description:
          'Parley: messaging with a partner API that is honest by construction. Errors are application/problem+json (RFC 9457) with a stable `code`. State-changing first-party requests need a same-origin Origin header.',
      },
      components: {
        securitySchemes: {
          // The scope catalogue, as people read it on the consent screen (policy/scopes.ts).
          oauth2: {
            type: 'oauth2',
            description:
              'Authorization code with PKCE (S256) only. Each scope, in the words people see when they consent.',
            flows: {
              authorizationCode: {
                authorizationUrl: `${issuerOf(config)}/auth`,
                tokenUrl: `${issuerOf(config)}/token`,
                refreshUrl: `${issuerOf(config)}/token`,
                scopes: Object.fromEntries(
                  Object.values(SCOPES).map((s) => [
                    s.name,
                    `${s.title}. Can: ${s.can.join('; ')}. Cannot: ${s.cannot.join('; ')}.`,
                  ]),
                ),
              },
            },
          },
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description:
              'An access token from the authorization server at /oauth (authorization code + PKCE).',
          },
        },
      },
      tags: [
        { name: 'account', description: 'Sign up, log in, sessions' },
        { name: 'friends', description: 'Friend requests and friendships' },
        { name: 'conversations', description: 'Conversations, messages, read markers' },
        { name: 'live', description: 'Live events' },
        { name: 'operations', description: 'Health, readiness, metrics' },
        { name: 'partner API', description: 'For partner apps, with a bearer token' },
        { name: 'consent', description: 'The consent screen (oidc-provider interactions)' },
        {
          name: 'apps & access',
          description: 'Connected apps: powers, revocation, removal from conversations',
        },
        { name: 'developers', description: 'The developer console' },
        { name: 'oauth', description: 'OAuth 2 / OpenID Connect (issuer PUBLIC_URL/oauth)' },
        { name: 'transparency', description: 'The verifiable record of every partner access' },
      ],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  // oidc-provider is a Koa app: mounted with middie (its documented way), before Fastify parses
  // bodies, at the issuer's path.
  await app.register(fastifyMiddie);
  const handleOAuth = provider.callback();
  app.use('/oauth', (req: IncomingMessage, res: ServerResponse) => void handleOAuth(req, res));
  app.get(
    '/.well-known/openid-configuration',
    {
      config: { action: 'public' },
      schema: { tags: ['oauth'], summary: 'OpenID Connect discovery (the same document as under /oauth)' },
    },
    async (request, reply) => {
      const discovery = await app.inject({
        url: '/oauth/.well-known/openid-configuration',
        headers: { host: request.headers.host ?? new URL(config.publicUrl).host },
      });
      return reply.code(discovery.statusCode).type('application/json').send(discovery.body);
    },
  );

  registerSession(app, services.auth);
  registerBearer(app, {
    partnerAuth: services.partnerAuth,
    limiter: createRateLimiter(serviceDeps.clock),
    rules: partnerRateRules(config.partnerRateLimit),
    recordUsage: (actor, action) => services.partner.recordUsage(actor, action),
  });
  authRoutes(app, services, { isSecure: config.isSecure });
  friendRoutes(app, services);
  threadRoutes(app, services);
  eventRoutes(app, services);
  developerRoutes(app, services);
  appsRoutes(app, services);
  consentRoutes(app, services);
  partnerRoutes(app, services);
  shareRoutes(app, services);
  transparencyRoutes(app, services);
  opsRoutes(app, { storage: deps.storage, metrics });

  const webIndex = config.webDist ? path.join(config.webDist, 'index.html') : null;
  const hasWeb = webIndex !== null && fs.existsSync(webIndex);
  if (hasWeb && config.webDist) {
    // wildcard (the default) looks files up per request, so a rebuilt web app is served
    // without a restart.
    await app.register(fastifyStatic, { root: config.webDist });
  }
  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0] ?? '';
    // A missing asset is a 404, not the index page: a page path has no file extension.
    const isPage =
      request.method === 'GET' &&
      !API_PREFIXES.some((p) => pathname.startsWith(p)) &&
      !/\.[a-z0-9]+$/i.test(pathname);
    // The web app routes on the client: any other page path gets its index.
    if (hasWeb && isPage) return reply.type('text/html').sendFile('index.html');
    return sendProblem(reply, 'route_not_found', `${request.method} ${pathname} does not exist.`);
  });

  return app;
}
