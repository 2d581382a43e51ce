// oidc-provider (the certified library) configured for Parley. We write no protocol code:
// this file only states policy — authorization code + PKCE S256 for every client, exact
// redirect URIs, opaque access tokens of at most an hour for the partner API, rotated refresh
// tokens whose reuse revokes the grant (RFC 9700 §4.14.2), RAR for chosen conversations.
import Provider, {
  errors,
  interactionPolicy,
  type Configuration,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import type { Config } from '../config.js';
import type { Clock } from '../lib/clock.js';
import { isScopeName, SCOPES } from '../policy/scopes.js';
import type { Storage } from '../storage/database.js';
import { CLOCK_TOLERANCE_SECONDS } from './access-token.js';
import { createAdapterFactory } from './adapter.js';
import { THREAD_DETAIL_TYPE } from './clients.js';
import type { OAuthKeys } from './keys.js';

export const ACCESS_TOKEN_TTL_SECONDS = 3600;

export interface ProviderDeps {
  config: Config;
  storage: Storage;
  clock: Clock;
  keys: OAuthKeys;
  /** Whether the browser's Parley session belongs to this account (login is ours, not the library's). */
  isSessionOf(ctx: KoaContextWithOIDC, accountId: string | undefined): Promise<boolean>;
  /** Whether the person's current Parley grant for this app covers the app's current registration. */
  /** The person's live grant for the app that covers what it registers now, if any. */
  currentGrantId(accountId: string, clientId: string): Promise<string | undefined>;
  logError(error: unknown, message: string): void;
}

export const issuerOf = (config: Config) => `${config.publicUrl}/oauth`;
export const apiResourceOf = (config: Config) => `${config.publicUrl}/v1`;

/** Only type is accepted from a client: the person picks the conversations on the consent page. */
function validateThreadDetail(_ctx: KoaContextWithOIDC, detail: Record<string, unknown>): void {
  const allowed = new Set(['type', 'identifier', 'actions']);
  for (const key of Object.keys(detail)) {
    if (!allowed.has(key)) throw new errors.InvalidAuthorizationDetails(`unsupported member "${key}"`);
  }
  if (detail.identifier !== undefined && typeof detail.identifier !== 'string') {
    throw new errors.InvalidAuthorizationDetails('identifier must be a conversation id');
  }
}

export function createProvider(deps: ProviderDeps): Provider {
  const { config, storage, clock } = deps;
  const apiResource = apiResourceOf(config);

  // Login: a prompt whenever the browser's Parley session is not this provider session's account.
  const policy = interactionPolicy.base();
  policy
    .get('login')
    ?.checks.add(
      new interactionPolicy.Check('parley_session', 'the Parley session does not match', async (ctx) =>
        (await deps.isSessionOf(ctx, ctx.oidc.session?.accountId))
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT,
      ),
    );
  // Consent: whenever there is no live Parley grant that covers what the app registers now
  // (new scopes raised its consent version; the grant expired or was revoked).
  policy.get('consent')?.checks.add(
    new interactionPolicy.Check('parley_grant', 'no current consent for this app', async (ctx) => {
      const accountId = ctx.oidc.session?.accountId;
      const clientId = ctx.oidc.client?.clientId;
      if (!accountId || !clientId) return interactionPolicy.Check.REQUEST_PROMPT;
      return (await deps.currentGrantId(accountId, clientId))
        ? interactionPolicy.Check.NO_NEED_TO_PROMPT
        : interactionPolicy.Check.REQUEST_PROMPT;
    }),
  );

  const configuration: Configuration = {
    adapter: createAdapterFactory({ storage, clock, apiResource }),
    clients: [],
    jwks: deps.keys.jwks,
    cookies: {
      keys: deps.keys.cookieKeys,
      long: { httpOnly: true, sameSite: 'lax', secure: config.isSecure, signed: true },
      short: { httpOnly: true, sameSite: 'lax', secure: config.isSecure, signed: true },
    },
    claims: {
      openid: ['sub'],
      profile: ['preferred_username', 'name', 'picture'],
    },
    scopes: ['openid', 'offline_access'],
    extraClientMetadata: { properties: ['parley_scopes'] },
    async findAccount(_ctx, sub) {
      const user = await storage.repos.users.findById(sub);
      if (!user) return undefined;
      return {
        accountId: user.id,
        claims: () => ({ sub: user.id, preferred_username: user.username, name: user.display_name }),
      };
    },
    // A person who already consented is not asked again, even from another browser: the grant
    // is Parley's (one live grant per person and app), not the provider session's.
    async loadExistingGrant(ctx) {
      const clientId = ctx.oidc.client?.clientId;
      const accountId = ctx.oidc.session?.accountId;
      const grantId =
        ctx.oidc.result?.consent?.grantId ??
        (clientId ? ctx.oidc.session?.grantIdFor(clientId) : undefined) ??
        (accountId && clientId ? await deps.currentGrantId(accountId, clientId) : undefined);
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    interactions: {
      policy,
      url: (_ctx, interaction) => `/consent/${interaction.uid}`,
    },
    // RFC 9700 §2.1.1: PKCE for every client; oidc-provider 9 accepts S256 only.
    pkce: { required: () => true },
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    // RFC 9700 §4.14.2: refresh tokens rotate; reusing an old one revokes the whole grant.
    rotateRefreshToken: true,
    // The partner API checks tokens itself with the same tolerance (access-token.ts).
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: 60,
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      IdToken: 3600,
      RefreshToken: config.grantExpiryDays * 24 * 3600,
      // Parley decides when a grant ends (revocation, PARLEY_GRANT_EXPIRY_DAYS of disuse); the
      // library's own grant lifetime must never cut a connection short.
      Grant: 10 * 365 * 24 * 3600,
    },
    features: {
      devInteractions: { enabled: false },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: false },
      // Sender-constrained tokens are optional in DESIGN.md; kept off until the partner API checks them.
      dPoP: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => apiResource,
        useGrantedResource: () => true,
        getResourceServerInfo(ctx, resource, client) {
          if (resource !== apiResource) throw new errors.InvalidTarget('unknown resource');
          const registered = ((client as unknown as { parley_scopes?: string[] }).parley_scopes ?? []).filter(
            (s) => isScopeName(s) && !SCOPES[s].isProtocolScope,
          );
          const route = ctx.oidc.route;
          if (route === 'authorization' || route === 'pushed_authorization_request') {
            // A scope the app did not register is an error, not silently dropped.
            for (const scope of ctx.oidc.requestParamScopes) {
              if (!registered.includes(scope) && !(isScopeName(scope) && SCOPES[scope].isProtocolScope)) {
                throw new errors.InvalidScope('requested scope is not registered for this app', scope);
              }
            }
          }
          return {
            scope: registered.join(' '),
            audience: apiResource,
            accessTokenTTL: ACCESS_TOKEN_TTL_SECONDS,
            accessTokenFormat: 'opaque',
          };
        },
      },
      richAuthorizationRequests: {
        enabled: true,
        types: { [THREAD_DETAIL_TYPE]: { validate: validateThreadDetail } },
        // The chosen conversations live on the grant (set on the consent page); codes and
        // tokens carry the grant's current list, so a refresh reflects later changes.
        authorizationDetailsForGrantSource: (ctx: KoaContextWithOIDC) => ctx.oidc.grant?.rar,
        authorizationDetailsForAccessToken: (
          ctx: KoaContextWithOIDC,
          _token: unknown,
          source?: { rar?: unknown },
        ) => ctx.oidc.grant?.rar ?? source?.rar,
        authorizationDetailsForIntrospection: (_ctx: KoaContextWithOIDC, token: { rar?: unknown }) =>
          token.rar,
        // The bundled types lag the library's renamed RAR helpers (9.13).
      } as never,
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      const escape = (value: unknown) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
      ctx.body = `<!doctype html><meta charset="utf-8"><title>Parley: sign-in problem</title>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;padding:0 1rem">
<h1>This sign-in link does not work</h1>
<p>${escape(out.error_description ?? out.error)}</p>
<p>Go back to the app and try again. <a href="/">Open Parley</a></p></body>`;
    },
  };

  const provider = new Provider(issuerOf(config), configuration);
  provider.on('server_error', (_ctx, error) => deps.logError(error, 'oidc-provider server error'));
  return provider;
}
