// Set-up through the first-party HTTP API (what the web app calls), for the parts of a journey
// that are not what the test is about: accounts, friendships, conversations, registering an app.
import type { BrowserContext } from 'playwright-core';
import type { Person } from './people.js';

export const SESSION_COOKIE = 'parley_session';

/** A person signed up over HTTP: who they are, and their session cookie's value. */
export interface Account extends Person {
  readonly id: string;
  readonly session: string;
}

/** A first-party API call with a session; state-changing calls carry the same-origin Origin. */
export async function apiCall<T>(
  baseUrl: string,
  session: string | null,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T; response: Response }> {
  const headers: Record<string, string> = { origin: baseUrl };
  if (session !== null) headers.cookie = `${SESSION_COOKIE}=${session}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T, response };
}

/** Like `apiCall`, but anything other than the expected status throws with the answer. */
export async function apiExpect<T>(
  baseUrl: string,
  session: string | null,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  expected: number,
  body?: unknown,
): Promise<T> {
  const answer = await apiCall<T>(baseUrl, session, method, path, body);
  if (answer.status !== expected) {
    throw new Error(
      `${method} ${path}: expected ${expected}, got ${answer.status} ${JSON.stringify(answer.body)}`,
    );
  }
  return answer.body;
}

export async function signUpByApi(baseUrl: string, person: Person): Promise<Account> {
  const { status, body, response } = await apiCall<{ id: string }>(
    baseUrl,
    null,
    'POST',
    '/api/auth/signup',
    { username: person.username, displayName: person.displayName, password: person.password },
  );
  if (status !== 201) throw new Error(`sign-up of ${person.username}: ${status} ${JSON.stringify(body)}`);
  const prefix = `${SESSION_COOKIE}=`;
  const session = response.headers
    .getSetCookie()
    .find((c) => c.startsWith(prefix))
    ?.split(';')[0]
    ?.slice(prefix.length);
  if (!session) throw new Error(`sign-up of ${person.username} set no ${SESSION_COOKIE} cookie`);
  return { ...person, id: body.id, session };
}

/** `a` asks, `b` accepts: friends. */
export async function befriend(baseUrl: string, a: Account, b: Account): Promise<void> {
  const request = await apiExpect<{ id: string }>(baseUrl, a.session, 'POST', '/api/friends/requests', 201, {
    username: b.username,
  });
  await apiExpect(baseUrl, b.session, 'POST', `/api/friends/requests/${request.id}/accept`, 200);
}

/** The one-to-one conversation of `a` with `b` (a friend); its id. */
export async function directThread(baseUrl: string, a: Account, b: Account): Promise<string> {
  const answer = await apiCall<{ id: string }>(baseUrl, a.session, 'POST', '/api/threads', {
    participants: [b.id],
  });
  if (answer.status !== 201 && answer.status !== 200) {
    throw new Error(`POST /api/threads: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return answer.body.id;
}

/** Puts the person's session into a browser context: its pages are logged in as them. */
export async function logInContext(
  context: BrowserContext,
  baseUrl: string,
  account: Account,
): Promise<void> {
  await context.addCookies([
    { name: SESSION_COOKIE, value: account.session, url: baseUrl, httpOnly: true, sameSite: 'Lax' },
  ]);
}
