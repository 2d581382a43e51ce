// The person's side of the OAuth flow without a browser, for tests that are not about the
// consent screen: follow the authorization request with the person's session cookie to the
// consent page, allow the scopes over HTTP (what the consent page's button posts), and follow
// the redirects back until they leave the platform for the app's redirect URI.
import { SESSION_COOKIE, type Account } from './api.js';

/** Cookies by name (one host; oidc-provider path-scopes its interaction cookies to /consent/:uid and /oauth). */
class CookieJar {
  private readonly cookies = new Map<string, { value: string; path: string }>();

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

  set(name: string, value: string): void {
    this.cookies.set(name, { value, path: '/' });
  }

  header(url: URL): string {
    return [...this.cookies.entries()]
      .filter(([, c]) => url.pathname.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }
}

/**
 * `person` allows `scopes` (and `threadIds`) for the app whose authorization request is
 * `authorizationUrl`; returns the callback URL the platform sent the browser to (with the code).
 */
export async function consentByHttp(
  baseUrl: string,
  person: Account,
  authorizationUrl: string,
  decision: { scopes: string[]; threadIds?: string[] },
): Promise<string> {
  const jar = new CookieJar();
  jar.set(SESSION_COOKIE, person.session);
  const request = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const target = new URL(url, baseUrl);
    const response = await fetch(target, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header(target), origin: baseUrl },
    });
    jar.store(response);
    return response;
  };
  /** Follows redirects until one leaves the platform or a page answers. */
  const navigate = async (url: string): Promise<{ url: string; response: Response | null }> => {
    let current = new URL(url, baseUrl).href;
    for (let hops = 0; hops < 10; hops++) {
      if (!current.startsWith(`${baseUrl}/`)) return { url: current, response: null };
      const response = await request(current);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { url: current, response };
      await response.body?.cancel();
      current = new URL(location, current).href;
    }
    throw new Error(`too many redirects from ${url}`);
  };

  const consentPage = await navigate(authorizationUrl);
  await consentPage.response?.body?.cancel();
  const uid = /^\/consent\/([^/?]+)$/.exec(new URL(consentPage.url).pathname)?.[1];
  if (!uid)
    throw new Error(`the authorization request did not reach the consent page but ${consentPage.url}`);
  const decided = await request(`/consent/${uid}/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ threadIds: [], ...decision }),
  });
  if (decided.status !== 200) throw new Error(`consent confirm: ${decided.status} ${await decided.text()}`);
  const { redirectTo } = (await decided.json()) as { redirectTo: string };
  const back = await navigate(redirectTo);
  if (back.response !== null) {
    throw new Error(
      `the consent did not return to the app but stopped at ${back.url} (${back.response.status})`,
    );
  }
  return back.url;
}
