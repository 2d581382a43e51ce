// Connecting a person's Parley account: OAuth 2 authorization code with PKCE against Parley's
// authorization server at `${parleyUrl}/oauth`, through oauth4webapi (no protocol code here).
// The rules Parley's server holds every app to are applied on this side too, so a mistake fails
// early: PKCE S256 and state on every request (RFC 9700 §2.1.1), tokens for the partner API's
// resource indicator (RFC 8707), conversations chosen through RFC 9396 authorization_details.
import * as oauth from 'oauth4webapi';
import { ParleyError, ParleyOAuthError } from './errors.js';
import { SCOPE_NAMES, type ScopeName } from './types.js';

/** How a ParleyOAuth is set up. */
export interface ParleyOAuthOptions {
  /** The Parley platform's public URL, e.g. `https://parley.example`. */
  parleyUrl: string;
  /** The app's client id (`app_…`), from the developer console. */
  clientId: string;
  /** The app's client secret. Leave it out only in a public client (a browser app) registered as one. */
  clientSecret?: string;
  /** One of the app's registered redirect URIs, exactly. */
  redirectUri: string;
  /** The fetch to use; default the global one. */
  fetch?: typeof fetch;
}

/** What to keep (in the person's session, say) between createAuthorization and finishAuthorization. */
export interface PendingAuthorization {
  /** The state the callback must echo (CSRF protection). */
  state: string;
  /** The PKCE code verifier: keep it secret. */
  codeVerifier: string;
  /** The OpenID Connect nonce, when `openid` was asked for. */
  nonce?: string;
}

/** A conversation the person chose to connect (threads.connect), by id. */
export interface ThreadAuthorization {
  type: 'parley_thread';
  /** The conversation id. */
  identifier: string;
}

/** The tokens of a finished authorization or a refresh. */
export interface TokenSet {
  /** The bearer token for the partner API. */
  accessToken: string;
  /**
   * Keeps the app connected while the person is away (offline_access). Parley rotates it: use
   * the new one from every refresh, since reusing an old one ends the grant.
   */
  refreshToken?: string;
  /** When the access token expires, epoch ms. */
  expiresAt: number;
  /**
   * The partner API scopes the token carries (the person may have unticked optional ones), as
   * the token response lists them: the protocol scopes are not listed there (`openid` and
   * `profile` show as `idClaims`, `offline_access` as `refreshToken`). `permissions()` lists all.
   */
  scopes: ScopeName[];
  /** Who connected, from the validated ID token (with `openid`). */
  idClaims?: { sub: string; preferredUsername?: string; name?: string };
  /** The conversations the person chose (threads.connect). */
  authorizationDetails?: ThreadAuthorization[];
}

/** The transport options every oauth4webapi request gets. */
interface HttpOptions {
  [oauth.customFetch]?: (url: string, init: RequestInit) => Promise<Response>;
  [oauth.allowInsecureRequests]?: boolean;
}

/** The authorization_details type of a conversation chosen on the consent screen. */
const THREAD_DETAIL_TYPE = 'parley_thread';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * OAuth 2 for a Parley partner app: send the person to Parley's consent screen, finish with the
 * code, refresh and revoke tokens. Refusals become {@link ParleyOAuthError}s.
 *
 * @example
 * const parleyOAuth = await ParleyOAuth.discover({ parleyUrl, clientId, clientSecret, redirectUri });
 * const { url, ...pending } = await parleyOAuth.createAuthorization({ scopes: ['openid', 'messages.send'] });
 * // keep `pending` in the session, redirect the person to `url`; then, on the redirect URI:
 * const tokens = await parleyOAuth.finishAuthorization(request.url, pending);
 */
export class ParleyOAuth {
  private constructor(
    private readonly as: oauth.AuthorizationServer,
    private readonly client: oauth.Client,
    private readonly clientAuth: oauth.ClientAuth,
    private readonly redirectUri: string,
    /** The partner API's resource indicator (RFC 8707): tokens are only for it. */
    private readonly resource: string,
    private readonly http: HttpOptions,
  ) {}

  /**
   * Reads the authorization server's metadata from
   * `${parleyUrl}/oauth/.well-known/openid-configuration`. Parley must be on https; plain http is
   * allowed only on this machine (localhost, 127.0.0.1, [::1]), for development.
   */
  static async discover(options: ParleyOAuthOptions): Promise<ParleyOAuth> {
    const parleyUrl = options.parleyUrl.replace(/\/+$/, '');
    const issuer = new URL(`${parleyUrl}/oauth`);
    const isLoopback = LOOPBACK_HOSTS.has(issuer.hostname);
    if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && isLoopback)) {
      throw new ParleyError(`Parley must be reached over https (http only on localhost): ${parleyUrl}`);
    }
    const fetchImpl = options.fetch;
    const http: HttpOptions = {
      // oauth4webapi refuses http; this is the loopback exception above, as RFC 8252 §8.3 allows.
      ...(issuer.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {}),
      ...(fetchImpl ? { [oauth.customFetch]: (url: string, init: RequestInit) => fetchImpl(url, init) } : {}),
    };
    const as = await translated(async () =>
      oauth.processDiscoveryResponse(
        issuer,
        await oauth.discoveryRequest(issuer, { ...http, algorithm: 'oidc' }),
      ),
    );
    const clientAuth = options.clientSecret ? oauth.ClientSecretBasic(options.clientSecret) : oauth.None();
    return new ParleyOAuth(
      as,
      { client_id: options.clientId },
      clientAuth,
      options.redirectUri,
      `${parleyUrl}/v1`,
      http,
    );
  }

  /**
   * Builds the URL of Parley's consent screen. Keep the returned `state`, `codeVerifier` and
   * `nonce` (server side, e.g. in the session) for {@link finishAuthorization}; send the person
   * to `url`.
   *
   * With `offline_access`, `prompt` defaults to `consent`: OpenID Connect Core §11 grants
   * offline access only with it. `threadsConnect` asks the person to choose conversations
   * (RFC 9396 authorization_details of type `parley_thread`) and adds the `threads.connect`
   * scope if it is missing.
   */
  async createAuthorization(options: {
    scopes: readonly ScopeName[];
    threadsConnect?: boolean;
    prompt?: string;
  }): Promise<{ url: URL; state: string; codeVerifier: string; nonce?: string }> {
    const scopes = [...new Set(options.scopes)];
    if (options.threadsConnect && !scopes.includes('threads.connect')) scopes.push('threads.connect');
    const endpoint = this.as.authorization_endpoint;
    if (!endpoint) throw new ParleyError('The authorization server has no authorization endpoint.');
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = scopes.includes('openid') ? oauth.generateRandomNonce() : undefined;
    const prompt = options.prompt ?? (scopes.includes('offline_access') ? 'consent' : undefined);
    const url = new URL(endpoint);
    const params = url.searchParams;
    params.set('client_id', this.client.client_id);
    params.set('redirect_uri', this.redirectUri);
    params.set('response_type', 'code');
    params.set('scope', scopes.join(' '));
    params.set('state', state);
    params.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
    params.set('code_challenge_method', 'S256');
    params.set('resource', this.resource);
    if (nonce) params.set('nonce', nonce);
    if (prompt) params.set('prompt', prompt);
    if (options.threadsConnect) {
      params.set('authorization_details', JSON.stringify([{ type: THREAD_DETAIL_TYPE }]));
    }
    return { url, state, codeVerifier, ...(nonce ? { nonce } : {}) };
  }

  /**
   * Finishes on the redirect URI: checks the callback (issuer, state; an error such as
   * `access_denied`, when the person pressed Cancel, becomes a {@link ParleyOAuthError}) and
   * exchanges the code for tokens with the PKCE verifier. `callbackUrl` is the URL the person
   * arrived at; a path (`/callback?code=…`, as servers see it) is taken relative to the redirect URI.
   */
  async finishAuthorization(callbackUrl: string | URL, pending: PendingAuthorization): Promise<TokenSet> {
    return translated(async () => {
      const params = oauth.validateAuthResponse(
        this.as,
        this.client,
        new URL(callbackUrl, this.redirectUri),
        pending.state,
      );
      const response = await oauth.authorizationCodeGrantRequest(
        this.as,
        this.client,
        this.clientAuth,
        params,
        this.redirectUri,
        pending.codeVerifier,
        { ...this.http, additionalParameters: { resource: this.resource } },
      );
      const result = await oauth.processAuthorizationCodeResponse(this.as, this.client, response, {
        expectedNonce: pending.nonce ?? oauth.expectNoNonce,
      });
      return tokenSetOf(result);
    });
  }

  /**
   * New tokens for a refresh token (offline_access). Use the returned `refreshToken` from now on:
   * Parley rotates refresh tokens, and reusing an old one ends the grant (RFC 9700 §4.14.2).
   * A revoked or expired grant gives {@link ParleyOAuthError} `invalid_grant`: connect again.
   */
  async refresh(refreshToken: string): Promise<TokenSet> {
    return translated(async () => {
      const response = await oauth.refreshTokenGrantRequest(
        this.as,
        this.client,
        this.clientAuth,
        refreshToken,
        {
          ...this.http,
          additionalParameters: { resource: this.resource },
        },
      );
      return tokenSetOf(await oauth.processRefreshTokenResponse(this.as, this.client, response));
    });
  }

  /** Revokes an access or refresh token (RFC 7009); it stops working at once. */
  async revoke(token: string): Promise<void> {
    await translated(async () => {
      const response = await oauth.revocationRequest(this.as, this.client, this.clientAuth, token, this.http);
      await oauth.processRevocationResponse(response);
    });
  }
}

function isScopeName(value: string): value is ScopeName {
  return (SCOPE_NAMES as readonly string[]).includes(value);
}

function tokenSetOf(result: oauth.TokenEndpointResponse): TokenSet {
  const claims = oauth.getValidatedIdTokenClaims(result);
  const threads = (result.authorization_details ?? []).flatMap((detail) =>
    detail.type === THREAD_DETAIL_TYPE && typeof detail.identifier === 'string'
      ? [{ type: THREAD_DETAIL_TYPE, identifier: detail.identifier } as const]
      : [],
  );
  return {
    accessToken: result.access_token,
    ...(result.refresh_token ? { refreshToken: result.refresh_token } : {}),
    // RFC 6749 §5.1: expires_in is RECOMMENDED; Parley always sends it (one hour).
    expiresAt: Date.now() + (result.expires_in ?? 3600) * 1000,
    scopes: (result.scope ?? '').split(' ').filter(isScopeName),
    ...(claims
      ? {
          idClaims: {
            sub: claims.sub,
            ...(typeof claims.preferred_username === 'string'
              ? { preferredUsername: claims.preferred_username }
              : {}),
            ...(typeof claims.name === 'string' ? { name: claims.name } : {}),
          },
        }
      : {}),
    ...(result.authorization_details ? { authorizationDetails: threads } : {}),
  };
}

/**
 * Runs an oauth4webapi call and turns its errors into ParleyOAuthErrors: the server's OAuth error
 * (RFC 6749 §4.1.2.1 in the callback, §5.2 from the token endpoint, RFC 6750 §3 in a challenge)
 * as it was given, and a response that fails a check as `invalid_response`.
 */
async function translated<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError || error instanceof oauth.ResponseBodyError) {
      throw new ParleyOAuthError(error.error, error.error_description, { cause: error });
    }
    if (error instanceof oauth.WWWAuthenticateChallengeError) {
      const challenge = error.cause[0];
      throw new ParleyOAuthError(
        challenge?.parameters.error ?? 'invalid_client',
        challenge?.parameters.error_description,
        { cause: error },
      );
    }
    if (error instanceof oauth.OperationProcessingError || error instanceof oauth.UnsupportedOperationError) {
      throw new ParleyOAuthError('invalid_response', error.message, { cause: error });
    }
    throw error;
  }
}
