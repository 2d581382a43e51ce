// A partner app's side of OAuth, as a real partner would do it: registered through the
// developer API, then discovery, PKCE and the code exchange with a real OAuth client library
// (oauth4webapi). The person's side (the consent page) is the browser's.
import * as oauth from 'oauth4webapi';
import type { Page } from 'playwright-core';
import { apiExpect, type Account } from './api.js';

/**
 * Never loads (port 9 is discard, and an "unsafe" port Chromium will not even connect to): a
 * browser test reads the navigation request Parley redirected it to (see `waitForCallback`).
 */
export const REDIRECT_URI = 'http://127.0.0.1:9/callback';

export interface ScopeRequest {
  scope: string;
  purpose: string;
  required?: boolean;
}

export interface RegisteredApp {
  clientId: string;
  clientSecret: string;
  name: string;
}

export async function registerApp(
  baseUrl: string,
  developer: Account,
  app: { name: string; description: string; scopes: ScopeRequest[] },
): Promise<RegisteredApp> {
  const slug = app.name.toLowerCase();
  const registered = await apiExpect<{ clientId: string; clientSecret: string; name: string }>(
    baseUrl,
    developer.session,
    'POST',
    '/api/developer/apps',
    201,
    {
      name: app.name,
      description: app.description,
      homepageUrl: `https://${slug}.example`,
      privacyPolicyUrl: `https://${slug}.example/privacy`,
      redirectUris: [REDIRECT_URI],
      scopes: app.scopes,
    },
  );
  return { clientId: registered.clientId, clientSecret: registered.clientSecret, name: registered.name };
}

/**
 * Runs `act` (a click that ends the consent) and returns the URL Parley then sent the browser
 * to (the navigation to the app's redirect URI) and the URL that redirected it there.
 * `page.route` cannot catch it: Playwright never routes the target of a redirect (documented,
 * microsoft/playwright#3993), and Chromium refuses port 9 with net::ERR_UNSAFE_PORT before any
 * route. So the request event is read instead: its URL is exactly where the browser was sent.
 */
export async function waitForCallback(
  page: Page,
  act: () => Promise<void>,
): Promise<{ url: URL; redirectedFrom: string | null }> {
  const [request] = await Promise.all([
    page.waitForRequest((r) => r.isNavigationRequest() && r.url().startsWith(`${REDIRECT_URI}?`)),
    act(),
  ]);
  return { url: new URL(request.url()), redirectedFrom: request.redirectedFrom()?.url() ?? null };
}

export interface AuthorizationRequest {
  url: string;
  state: string;
  codeVerifier: string;
}

export type Partner = Awaited<ReturnType<typeof partnerOf>>;

/** The partner's half of the flow against the platform at `baseUrl` (issuer `<baseUrl>/oauth`). */
export async function partnerOf(baseUrl: string, registered: RegisteredApp) {
  const issuer = new URL(`${baseUrl}/oauth`);
  const insecure = { [oauth.allowInsecureRequests]: true }; // http on 127.0.0.1
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
  const client: oauth.Client = { client_id: registered.clientId };
  const auth = oauth.ClientSecretBasic(registered.clientSecret);
  return {
    as,
    client,
    /** An authorization request with PKCE S256 and a state; offline_access asks for consent. */
    async authorizationRequest(scope: string): Promise<AuthorizationRequest> {
      const codeVerifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const url = new URL(as.authorization_endpoint!);
      url.searchParams.set('client_id', registered.clientId);
      url.searchParams.set('redirect_uri', REDIRECT_URI);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('scope', scope);
      url.searchParams.set('state', state);
      url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
      url.searchParams.set('code_challenge_method', 'S256');
      if (scope.split(' ').includes('offline_access')) url.searchParams.set('prompt', 'consent');
      return { url: url.href, state, codeVerifier };
    },
    /** Checks the callback (state, iss, error) the way a partner must; throws on an error response. */
    callbackParameters(callbackUrl: string, request: AuthorizationRequest): URLSearchParams {
      return oauth.validateAuthResponse(as, client, new URL(callbackUrl), request.state);
    },
    async exchange(callbackUrl: string, request: AuthorizationRequest) {
      const parameters = oauth.validateAuthResponse(as, client, new URL(callbackUrl), request.state);
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        client,
        auth,
        parameters,
        REDIRECT_URI,
        request.codeVerifier,
        insecure,
      );
      return oauth.processAuthorizationCodeResponse(as, client, response);
    },
  };
}

/** A partner API call with a bearer token. */
export function partnerApi(
  baseUrl: string,
  accessToken: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
) {
  return fetch(`${baseUrl}/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${accessToken}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}
