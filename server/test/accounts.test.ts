import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  client,
  dialects,
  manualClock,
  rowCounts,
  sessionCookie,
  signup,
  startApp,
  type TestApp,
} from './harness.js';

describe.each(dialects())('accounts on %s', (dialect) => {
  let t: TestApp;
  const clock = manualClock();
  beforeEach(async () => {
    t = await startApp(dialect, { clock });
  });
  afterEach(() => t.close());

  it('signs up, reads /api/me, logs out and in again', async () => {
    const dana = await signup(t.app, 'dana', 'Dana Scully');
    const me = await client(t.app, dana.cookie).get('/api/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: dana.id, username: 'dana', displayName: 'Dana Scully' });

    const logout = await client(t.app, dana.cookie).post('/api/auth/logout');
    expect(logout.statusCode).toBe(204);
    // The session is revoked on the server, not only forgotten by the browser.
    expect((await client(t.app, dana.cookie).get('/api/me')).statusCode).toBe(401);

    const login = await client(t.app).post('/api/auth/login', {
      username: 'dana',
      password: 'correct horse battery',
    });
    expect(login.statusCode).toBe(200);
    expect((await client(t.app, sessionCookie(login)).get('/api/me')).json()).toMatchObject({ id: dana.id });
  });

  it('sets an HttpOnly, SameSite=Lax session cookie that is not Secure on http', async () => {
    const response = await client(t.app).post('/api/auth/signup', {
      username: 'erin',
      displayName: 'Erin',
      password: 'long enough password',
    });
    const cookie = response.cookies.find((c) => c.name === 'parley_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeFalsy();
    expect(JSON.stringify(response.json())).not.toContain('password');
  });

  it('refuses a taken username, changing nothing', async () => {
    await signup(t.app, 'frank');
    const before = await rowCounts(t.storage);
    const again = await client(t.app).post('/api/auth/signup', {
      username: 'frank',
      displayName: 'Other Frank',
      password: 'another password',
    });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(again.json()).toMatchObject({ code: 'username_taken', status: 409 });
    expect(await rowCounts(t.storage)).toEqual(before);
  });

  it('answers a wrong password and an unknown person the same way', async () => {
    await signup(t.app, 'gina');
    const wrong = await client(t.app).post('/api/auth/login', {
      username: 'gina',
      password: 'not it at all',
    });
    const unknown = await client(t.app).post('/api/auth/login', {
      username: 'nobody',
      password: 'not it at all',
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('throttles an account after 5 failures, tells when to retry, and lets it in after the window', async () => {
    await signup(t.app, 'hank');
    const attempt = (password: string, ip = '10.0.0.1') =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: ip,
        headers: { origin: 'http://localhost:8080', 'content-type': 'application/json' },
        payload: JSON.stringify({ username: 'hank', password }),
      });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong password')).statusCode).toBe(401);
    // Even the right password is refused while locked, from any address.
    const locked = await attempt('correct horse battery', '10.0.0.2');
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'too_many_attempts' });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);

    clock.advance(15 * 60 * 1000 + 1000);
    expect((await attempt('correct horse battery')).statusCode).toBe(200);
  });

  it('throttles an address that tries many accounts', async () => {
    const attempt = (username: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '10.9.9.9',
        headers: { origin: 'http://localhost:8080', 'content-type': 'application/json' },
        payload: JSON.stringify({ username, password: 'guessing' }),
      });
    for (let i = 0; i < 30; i++) expect((await attempt(`user${i}`)).statusCode).toBe(401);
    expect((await attempt('someone_else')).statusCode).toBe(429);
  });

  it('expires sessions after 30 days', async () => {
    const ivy = await signup(t.app, 'ivy');
    clock.advance(29 * 24 * 3600 * 1000);
    expect((await client(t.app, ivy.cookie).get('/api/me')).statusCode).toBe(200);
    clock.advance(2 * 24 * 3600 * 1000);
    expect((await client(t.app, ivy.cookie).get('/api/me')).statusCode).toBe(401);
  });

  it('does not accept a forged session cookie', async () => {
    const response = await client(t.app, 'parley_session=forged-token-value').get('/api/me');
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'not_authenticated' });
  });
});

describe('accounts behind https', () => {
  it('marks the session cookie Secure when PUBLIC_URL is https, and checks that origin', async () => {
    const t = await startApp('sqlite', { env: { PUBLIC_URL: 'https://chat.example.org' } });
    try {
      const signupAt = (origin: string) =>
        t.app.inject({
          method: 'POST',
          url: '/api/auth/signup',
          headers: { origin, 'content-type': 'application/json' },
          payload: JSON.stringify({ username: 'sam', displayName: 'Sam', password: 'long enough password' }),
        });
      expect((await signupAt('http://localhost:8080')).statusCode).toBe(403);
      const response = await signupAt('https://chat.example.org');
      expect(response.statusCode).toBe(201);
      expect(response.cookies.find((c) => c.name === 'parley_session')).toMatchObject({
        secure: true,
        httpOnly: true,
      });
    } finally {
      await t.close();
    }
  });
});
