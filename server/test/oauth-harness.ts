// A partner app's side of OAuth, for tests: a real OAuth client library (oauth4webapi) against
// the real server on a real port, and a tiny cookie jar for the person's browser.
import net from 'node:net';
import * as oauth from 'oauth4webapi';
import type { Clock } from '../src/lib/clock.js';
import type { Dialect } from '../src/storage/database.js';
import { signup, startApp, type Person, type TestApp } from './harness.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface LiveApp extends TestApp {
  baseUrl: string;
}

/** The platform on a real port, with PUBLIC_URL matching it (the issuer must be exact). */
export async function startLiveApp(
  dialect: Dialect,
  options: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<LiveApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const t = await startApp(dialect, {
    ...options,
    env: { PORT: String(port), PUBLIC_URL: baseUrl, ...options.env },
  });
  await t.app.listen({ port, host: '127.0.0.1' });
  return { ...t, baseUrl };
}

/** Cookies by name, with the path each was set for (enough for one host). */
export class CookieJar {
  private readonly cookies = new Map<string, { value: string; path: string }>();

  constructor(initial?: string) {
    if (initial) for (const pair of initial.split('; ')) this.setPair(pair, '/');
  }

  private setPair(pair: string, path: string) {
    const eq = pair.indexOf('=');
    this.cookies.set(pair.slice(0, eq), { value: pair.slice(eq + 1), path });
  }

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';').map((s) => s.trim());
      const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const isExpired = attributes.some(
        (a) => a.toLowerCase() === 'max-age=0' || a.toLowerCase().startsWith('expires=thu, 01 jan 1970'),
      );
      const name = pair.slice(0, pair.indexOf('='));
      if (isExpired) this.cookies.delete(name);
      else this.setPair(pair, path);
    }
  }

  header(url: URL): string {
    return [...this.cookies.entries()]
      .filter(([, c]) => url.pathname.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }
}

/** A browser for one person: follows redirects within the platform, keeps cookies. */
export function browser(baseUrl: string, person?: Person) {
  const jar = new CookieJar(person?.cookie);
  const request = async (url: string, init: RequestInit = {}) => {
    const target = new URL(url, baseUrl);
    const response = await fetch(target, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header(target), origin: baseUrl },
    });
    jar.store(response);
    return response;
  };
  return {
    jar,
    request,
    /** Follows redirects until one leaves the platform (to the app's redirect URI) or a page is reached. */
    async navigate(url: string): Promise<{ url: string; response: Response }> {
      let current = new URL(url, baseUrl).href;
      for (let hops = 0; hops < 10; hops++) {
        if (!current.startsWith(baseUrl)) return { url: current, response: new Response(null) };
        const response = await request(current);
        const location = response.headers.get('location');
        if (response.status < 300 || response.status >= 400 || !location) return { url: current, response };
        current = new URL(location, current).href;
      }
      throw new Error('too many redirects');
    },
  };
}

export const REDIRECT_URI = 'http://127.0.0.1:9/callback';

export interface RegisteredApp {
  clientId: string;
  clientSecret: string;
}

export async function registerApp(
  t: LiveApp,
  developer: Person,
  scopes: { scope: string; purpose?: string; required?: boolean }[],
  extra: Record<string, unknown> = {},
): Promise<RegisteredApp> {
  const response = await fetch(`${t.baseUrl}/api/developer/apps`, {
    method: 'POST',
    headers: { cookie: developer.cookie, origin: t.baseUrl, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Tunes',
      description: 'A small music player: share a song and chat about it.',
      homepageUrl: 'https://tunes.example',
      privacyPolicyUrl: 'https://tunes.example/privacy',
      redirectUris: [REDIRECT_URI],
      scopes: scopes.map((s) => ({ purpose: `Tunes uses ${s.scope} to work`, ...s })),
      ...extra,
    }),
  });
  if (response.status !== 201) throw new Error(`register: ${response.status} ${await response.text()}`);
  return (await response.json()) as RegisteredApp;
}

/** The partner's half of the flow, with oauth4webapi. */
export async function partner(t: LiveApp, registered: RegisteredApp) {
  const issuer = new URL(`${t.baseUrl}/oauth`);
  const insecure = { [oauth.allowInsecureRequests]: true };
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
  const client: oauth.Client = { client_id: registered.clientId };
  const auth = oauth.ClientSecretBasic(registered.clientSecret);
  return {
    as,
    client,
    auth,
    insecure,
    async authorizationUrl(scope: string, extra: Record<string, string> = {}) {
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
      if (scope.includes('offline_access')) url.searchParams.set('prompt', 'consent');
      for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
      return { url: url.href, codeVerifier, state };
    },
    async exchange(callbackUrl: string, codeVerifier: string, state: string) {
      const params = oauth.validateAuthResponse(as, client, new URL(callbackUrl), state);
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        client,
        auth,
        params,
        REDIRECT_URI,
        codeVerifier,
        insecure,
      );
      return oauth.processAuthorizationCodeResponse(as, client, response);
    },
    async refresh(refreshToken: string) {
      const response = await oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, insecure);
      return oauth.processRefreshTokenResponse(as, client, response);
    },
  };
}

/** Runs the person's side: authorize → consent screen → allow → back at the app with a code. */
export async function consent(
  t: LiveApp,
  person: Person,
  authorizationUrl: string,
  decision: { scopes: string[]; threadIds?: string[] } | 'deny',
) {
  const b = browser(t.baseUrl, person);
  const first = await b.navigate(authorizationUrl);
  const uid = /\/consent\/([^/?]+)$/.exec(new URL(first.url).pathname)?.[1];
  if (!uid) return { callbackUrl: first.url, details: null };
  const detailsResponse = await b.request(`/consent/${uid}/details`);
  const details = (await detailsResponse.json()) as Record<string, unknown>;
  if (details.alreadyConnected === true && decision !== 'deny') {
    // As the consent page does: nothing to consent to, so it only signs the person in.
    const continued = await b.request(`/consent/${uid}/continue`, { method: 'POST' });
    if (continued.status !== 200) throw new Error(`consent continue: ${continued.status}`);
    const { redirectTo } = (await continued.json()) as { redirectTo: string };
    return { callbackUrl: (await b.navigate(redirectTo)).url, details: null };
  }
  const path = decision === 'deny' ? 'deny' : 'confirm';
  const body = decision === 'deny' ? undefined : JSON.stringify({ threadIds: [], ...decision });
  const decided = await b.request(`/consent/${uid}/${path}`, {
    method: 'POST',
    ...(body ? { body, headers: { 'content-type': 'application/json' } } : {}),
  });
  if (decided.status !== 200) throw new Error(`consent ${path}: ${decided.status} ${await decided.text()}`);
  const { redirectTo } = (await decided.json()) as { redirectTo: string };
  const back = await b.navigate(redirectTo);
  return { callbackUrl: back.url, details };
}

export { signup };

/** Connects `person` to an app with these scopes (and conversations), as a partner would; returns the tokens. */
export async function connectApp(
  t: LiveApp,
  registered: RegisteredApp,
  person: Person,
  scopes: string[],
  threadIds: string[] = [],
) {
  const p = await partner(t, registered);
  const { url, codeVerifier, state } = await p.authorizationUrl(scopes.join(' '));
  const { callbackUrl } = await consent(t, person, url, { scopes, threadIds });
  return p.exchange(callbackUrl, codeVerifier, state);
}

/** A partner API call with a bearer token. */
export function partnerCall(t: LiveApp, token: string, method: string, path: string, body?: unknown) {
  return fetch(`${t.baseUrl}/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}
