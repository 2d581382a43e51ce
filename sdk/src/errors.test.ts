import { describe, expect, it } from 'vitest';
import {
  errorFromResponse,
  ParleyApiError,
  ParleyAuthError,
  ParleyError,
  ParleyRateLimitError,
  retryAfterSeconds,
} from './errors.js';

const problem = (status: number, code: string, detail?: string, headers: Record<string, string> = {}) =>
  new Response(
    JSON.stringify({
      type: `urn:parley:problem:${code}`,
      code,
      title: `title of ${code}`,
      status,
      ...(detail ? { detail } : {}),
    }),
    { status, headers: { 'content-type': 'application/problem+json', ...headers } },
  );

describe('errors from problem+json responses', () => {
  it('maps a refused token to ParleyAuthError, with the problem’s fields', async () => {
    const error = await errorFromResponse(problem(401, 'invalid_token', 'The grant was revoked.'));
    expect(error).toBeInstanceOf(ParleyAuthError);
    expect(error).toBeInstanceOf(ParleyApiError);
    expect(error).toBeInstanceOf(ParleyError);
    expect(error).toMatchObject({
      name: 'ParleyAuthError',
      status: 401,
      type: 'urn:parley:problem:invalid_token',
      code: 'invalid_token',
      title: 'title of invalid_token',
      detail: 'The grant was revoked.',
      problem: { code: 'invalid_token', status: 401 },
    });
    expect(error.message).toBe('title of invalid_token: The grant was revoked.');
  });

  it('maps rate_limited to ParleyRateLimitError with Retry-After', async () => {
    const error = await errorFromResponse(problem(429, 'rate_limited', 'Slow down', { 'retry-after': '3' }));
    expect(error).toBeInstanceOf(ParleyRateLimitError);
    expect((error as ParleyRateLimitError).retryAfterSeconds).toBe(3);
  });

  it('keeps other problems as ParleyApiError, typed by their code', async () => {
    const error = await errorFromResponse(problem(404, 'thread_not_found'));
    expect(error.constructor).toBe(ParleyApiError);
    expect(error).toMatchObject({ status: 404, code: 'thread_not_found', detail: undefined });
    const scope = await errorFromResponse(problem(403, 'insufficient_scope'));
    expect(scope.constructor).toBe(ParleyApiError);
    expect(scope.code).toBe('insufficient_scope');
  });

  it('types an unknown problem by its status, and a body that is no problem by status alone', async () => {
    const newCode = await errorFromResponse(problem(401, 'some_future_code'));
    expect(newCode).toBeInstanceOf(ParleyAuthError);
    const proxy = await errorFromResponse(
      new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    expect(proxy.constructor).toBe(ParleyApiError);
    expect(proxy).toMatchObject({
      status: 502,
      type: 'about:blank',
      code: 'http_502',
      title: 'Bad Gateway',
      problem: '<html>Bad gateway</html>',
    });
    const throttled = await errorFromResponse(new Response('slow down', { status: 429 }));
    expect(throttled).toBeInstanceOf(ParleyRateLimitError);
    expect((throttled as ParleyRateLimitError).retryAfterSeconds).toBe(1);
  });
});

describe('Retry-After (RFC 9110 §10.2.3)', () => {
  it('reads seconds or an HTTP date, and defaults to 1 s', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterSeconds('7', now)).toBe(7);
    expect(retryAfterSeconds('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5);
    expect(retryAfterSeconds('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds(null, now)).toBe(1);
    expect(retryAfterSeconds('soon', now)).toBe(1);
  });
});
