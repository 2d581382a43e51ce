// Bad input gets a clear 4xx problem+json and changes nothing; never a 5xx.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  befriend,
  client,
  signupAll,
  dialects,
  rowCounts,
  startApp,
  TEST_ORIGIN,
  type Person,
  type TestApp,
} from './harness.js';

describe.each(dialects())('bad input on %s', (dialect) => {
  let t: TestApp;
  let ann: Person;
  let ben: Person;
  let threadId: string;
  beforeEach(async () => {
    t = await startApp(dialect);
    [ann, ben] = await signupAll(t.app, 'ann', 'ben');
    await befriend(t.app, ann, ben);
    threadId = (await client(t.app, ann.cookie).post('/api/threads', { participants: [ben.id] })).json<{
      id: string;
    }>().id;
    await client(t.app, ann.cookie).post(`/api/threads/${threadId}/messages`, { text: 'hello' });
  });
  afterEach(() => t.close());

  const raw = (
    method: 'POST' | 'GET' | 'DELETE',
    url: string,
    payload?: string | Buffer,
    headers: Record<string, string> = {},
  ) =>
    t.app.inject({
      method,
      url,
      headers: { origin: TEST_ORIGIN, cookie: ann.cookie, 'content-type': 'application/json', ...headers },
      ...(payload === undefined ? {} : { payload }),
    });

  const cases: [string, () => ReturnType<typeof raw>, number, string][] = [
    [
      'malformed JSON',
      () => raw('POST', `/api/threads/${threadId}/messages`, '{"text": "unterminated'),
      400,
      'malformed_json',
    ],
    [
      'wrong type',
      () => raw('POST', `/api/threads/${threadId}/messages`, '{"text": 42}'),
      400,
      'invalid_request',
    ],
    [
      'unknown field',
      () => raw('POST', `/api/threads/${threadId}/messages`, '{"text": "hi", "admin": true}'),
      400,
      'invalid_request',
    ],
    [
      'empty message',
      () => raw('POST', `/api/threads/${threadId}/messages`, '{"text": "   "}'),
      400,
      'invalid_request',
    ],
    [
      'text over 10,000 characters',
      () => raw('POST', `/api/threads/${threadId}/messages`, JSON.stringify({ text: 'x'.repeat(10_001) })),
      400,
      'invalid_request',
    ],
    [
      'card with a javascript: URL',
      () =>
        raw(
          'POST',
          `/api/threads/${threadId}/messages`,
          JSON.stringify({ card: { kind: 'link', title: 't', url: 'javascript:alert(1)' } }),
        ),
      400,
      'invalid_request',
    ],
    [
      'card of an unknown kind',
      () =>
        raw(
          'POST',
          `/api/threads/${threadId}/messages`,
          JSON.stringify({ card: { kind: 'video', title: 't', url: 'https://x.y' } }),
        ),
      400,
      'invalid_request',
    ],
    [
      'a 2 MB body',
      () =>
        raw(
          'POST',
          `/api/threads/${threadId}/messages`,
          JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) }),
        ),
      413,
      'payload_too_large',
    ],
    [
      'not JSON',
      () =>
        raw('POST', `/api/threads/${threadId}/messages`, 'text=hi', {
          'content-type': 'application/x-www-form-urlencoded',
        }),
      415,
      'unsupported_media_type',
    ],
    ['malformed id', () => raw('GET', `/api/threads/not-an-id/messages`), 400, 'invalid_request'],
    [
      'unknown id',
      () => raw('GET', `/api/threads/0190a000-0000-7000-8000-000000000000/messages`),
      404,
      'thread_not_found',
    ],
    [
      'limit out of range',
      () => raw('GET', `/api/threads/${threadId}/messages?limit=1000`),
      400,
      'invalid_request',
    ],
    [
      'limit not a number',
      () => raw('GET', `/api/threads/${threadId}/messages?limit=ten`),
      400,
      'invalid_request',
    ],
    [
      'cross-origin POST',
      () =>
        raw('POST', `/api/threads/${threadId}/messages`, '{"text":"csrf"}', {
          origin: 'https://evil.example',
        }),
      403,
      'origin_mismatch',
    ],
    [
      'POST without Origin',
      () =>
        t.app.inject({
          method: 'POST',
          url: `/api/threads/${threadId}/messages`,
          headers: { cookie: ann.cookie, 'content-type': 'application/json' },
          payload: '{"text":"csrf"}',
        }),
      403,
      'origin_mismatch',
    ],
    [
      'cross-origin DELETE',
      () => raw('DELETE', `/api/friends/${ben.id}`, undefined, { origin: 'null' }),
      403,
      'origin_mismatch',
    ],
    [
      'no session',
      () => raw('POST', `/api/threads/${threadId}/messages`, '{"text":"hi"}', { cookie: '' }),
      401,
      'not_authenticated',
    ],
    [
      'signup with a bad username',
      () =>
        raw(
          'POST',
          '/api/auth/signup',
          JSON.stringify({
            username: 'Robert"); DROP TABLE users;--',
            displayName: 'R',
            password: 'long enough password',
          }),
        ),
      400,
      'invalid_request',
    ],
    [
      'signup with a short password',
      () =>
        raw(
          'POST',
          '/api/auth/signup',
          JSON.stringify({ username: 'zed', displayName: 'Zed', password: 'short' }),
        ),
      400,
      'invalid_request',
    ],
    ['unknown route', () => raw('GET', '/api/nothing-here'), 404, 'route_not_found'],
  ];

  it.each(cases)('%s → %i %s, nothing changed', async (_name, request, status, code) => {
    const before = await rowCounts(t.storage);
    const response = await request();
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      code,
      status,
      type: `urn:parley:problem:${code}`,
      title: expect.any(String) as unknown,
    });
    expect(await rowCounts(t.storage)).toEqual(before);
  });

  it('answers many random bodies with 4xx, never 5xx', async () => {
    const bodies = [
      'null',
      '[]',
      '"x"',
      '1',
      'true',
      '{}',
      '{"text":null}',
      '{"card":{}}',
      '{"card":"x"}',
      '{"text":["a"]}',
      '\u0000',
      '{"text":"\\ud800"}',
      '{"__proto__":{"x":1}}',
      '{"constructor":{"prototype":{}}}',
    ];
    const urls = [
      `/api/threads/${threadId}/messages`,
      '/api/threads',
      '/api/friends/requests',
      '/api/auth/login',
      '/api/auth/signup',
      `/api/threads/${threadId}/read`,
    ];
    for (const url of urls) {
      for (const body of bodies) {
        const response = await raw('POST', url, body);
        expect(response.statusCode, `${url} ${body} → ${response.body}`).toBeGreaterThanOrEqual(400);
        expect(response.statusCode, `${url} ${body}`).toBeLessThan(500);
      }
    }
  });
});
