// Setting up a benchmark's world over HTTP, the way people and partners do: sign-up, friends,
// conversations, an app registered in the developer console, consent walked as a browser walks
// it, and codes exchanged at the token endpoint.
import { createHash, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'parley_session';
/** Never loaded: the code is read from the redirect's Location. */
export const REDIRECT_URI = 'http://127.0.0.1:9/callback';

export interface Person {
  readonly id: string;
  readonly username: string;
  readonly session: string;
}

async function call<T>(
  baseUrl: string,
  session: string | null,
  method: 'GET' | 'POST',
  path: string,
  expected: number[],
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { origin: baseUrl };
  if (session !== null) headers.cookie = `${SESSION_COOKIE}=${session}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!expected.includes(response.status)) {
    throw new Error(`${method} ${path}: expected ${expected.join(' or ')}, got ${response.status} ${text}`);
  }
  return (text ? JSON.parse(text) : null) as T;
}

/** A first-party call with a person's session and the same-origin Origin. */
export const api = <T>(
  baseUrl: string,
  person: Person | null,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  expected: number[] = [200, 201, 204],
) => call<T>(baseUrl, person?.session ?? null, method, path, expected, body);

export async function signUp(baseUrl: string, username: string): Promise<Person> {
  const response = await fetch(`${baseUrl}/api/auth/signup`, {
    method: 'POST',
    headers: { origin: baseUrl, 'content-type': 'application/json' },
    body: JSON.stringify({
      username,
      displayName: username,
      password: `pw-${randomBytes(8).toString('hex')}`,
    }),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`sign-up of ${username}: ${response.status} ${text}`);
  const prefix = `${SESSION_COOKIE}=`;
  const session = response.headers
    .getSetCookie()
    .find((c) => c.startsWith(prefix))
    ?.split(';')[0]
    ?.slice(prefix.length);
  if (!session) throw new Error(`sign-up of ${username} set no session cookie`);
  return { id: (JSON.parse(text) as { id: string }).id, username, session };
}

export async function befriend(baseUrl: string, a: Person, b: Person): Promise<void> {
  const request = await api<{ id: string }>(baseUrl, a, 'POST', '/api/friends/requests', {
    username: b.username,
  });
  await api(baseUrl, b, 'POST', `/api/friends/requests/${request.id}/accept`);
}

/** A conversation of `a` with friends: the one-to-one without a title, a group with one. */
export async function startThread(
  baseUrl: string,
  a: Person,
  others: readonly Person[],
  title?: string,
): Promise<string> {
  const thread = await api<{ id: string }>(baseUrl, a, 'POST', '/api/threads', {
    participants: others.map((p) => p.id),
    ...(title ? { title } : {}),
  });
  return thread.id;
}

export interface RegisteredApp {
  readonly clientId: string;
  readonly clientSecret: string;
}

export async function registerApp(
  baseUrl: string,
  developer: Person,
  scopes: readonly string[],
): Promise<RegisteredApp> {
  return api<RegisteredApp>(baseUrl, developer, 'POST', '/api/developer/apps', {
    name: 'Bench',
    description: 'The benchmark partner app.',
    homepageUrl: 'https://bench.example',
    privacyPolicyUrl: 'https://bench.example/privacy',
    redirectUris: [REDIRECT_URI],
    scopes: scopes.map((scope) => ({ scope, purpose: `The benchmark uses ${scope}`, required: true })),
  });
}

/** Cookies by name with their paths (oidc-provider scopes its interaction cookies to paths). */
class CookieJar {
  private readonly cookies = new Map<string, { value: string; path: string }>();

  constructor(session: string) {
    this.cookies.set(SESSION_COOKIE, { value: session, path: '/' });
  }

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const path = attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const isExpired = attributes.some(
        (a) => a.toLowerCase() === 'max-age=0' || a.toLowerCase().startsWith('expires=thu, 01 jan 1970'),
      );
      if (isExpired) this.cookies.delete(name);
      else this.cookies.set(name, { value: pair.slice(eq + 1), path });
    }
  }

  header(url: URL): string {
    return [...this.cookies.entries()]
      .filter(([, c]) => url.pathname.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }
}

export interface Code {
  readonly code: string;
  readonly verifier: string;
}

/**
 * A person's browser for one app: walks authorization requests with PKCE S256 to the code. The
 * first one goes through the consent screen (allowing `scopes`); later ones, with the provider's
 * session cookie and a current grant, come straight back with a code, as a returning person's do.
 */
export function browserFor(baseUrl: string, person: Person, app: RegisteredApp, scopes: readonly string[]) {
  const jar = new CookieJar(person.session);
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
  /** Follows redirects until one leaves the platform (the app's redirect URI) or a page answers. */
  const navigate = async (url: string): Promise<string> => {
    let current = new URL(url, baseUrl).href;
    for (let hops = 0; hops < 10; hops++) {
      if (!current.startsWith(`${baseUrl}/`)) return current;
      const response = await request(current);
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return current;
      current = new URL(location, current).href;
    }
    throw new Error(`too many redirects from ${url}`);
  };

  return {
    async code(): Promise<Code> {
      const verifier = randomBytes(32).toString('base64url');
      const state = randomBytes(16).toString('base64url');
      const url = new URL(`${baseUrl}/oauth/auth`);
      url.searchParams.set('client_id', app.clientId);
      url.searchParams.set('redirect_uri', REDIRECT_URI);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('scope', scopes.join(' '));
      url.searchParams.set('state', state);
      url.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
      url.searchParams.set('code_challenge_method', 'S256');
      let landed = await navigate(url.href);
      const uid = /\/consent\/([^/?]+)$/.exec(new URL(landed).pathname)?.[1];
      if (uid) {
        const decided = await request(`/consent/${uid}/confirm`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ scopes, threadIds: [] }),
        });
        const text = await decided.text();
        if (decided.status !== 200) throw new Error(`consent: ${decided.status} ${text}`);
        landed = await navigate((JSON.parse(text) as { redirectTo: string }).redirectTo);
      }
      const callback = new URL(landed);
      const code = callback.searchParams.get('code');
      if (!landed.startsWith(REDIRECT_URI) || !code || callback.searchParams.get('state') !== state) {
        throw new Error(`the authorization request ended at ${landed}, not with a code`);
      }
      return { code, verifier };
    },
  };
}

/** The token endpoint's form body for a code (client_secret_basic goes in the header). */
export function codeExchangeBody(code: Code): string {
  return new URLSearchParams({
    grant_type: 'authorization_code',
    code: code.code,
    redirect_uri: REDIRECT_URI,
    code_verifier: code.verifier,
  }).toString();
}

export const basicAuth = (app: RegisteredApp) =>
  `Basic ${Buffer.from(`${encodeURIComponent(app.clientId)}:${encodeURIComponent(app.clientSecret)}`).toString('base64')}`;

export async function exchangeCode(baseUrl: string, app: RegisteredApp, code: Code): Promise<string> {
  const response = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { authorization: basicAuth(app), 'content-type': 'application/x-www-form-urlencoded' },
    body: codeExchangeBody(code),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`code exchange: ${response.status} ${text}`);
  return (JSON.parse(text) as { access_token: string }).access_token;
}
