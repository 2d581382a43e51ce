import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './webhook-signature.js';

const SECRET = 'whsec_test';
const BODY = '{"type":"ping"}';
const T = 1_700_000_000;
const AT_T = new Date(T * 1000);

describe('signWebhook', () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256(secret, "t.body")> (vector from openssl dgst -sha256 -hmac)', () => {
    expect(signWebhook(SECRET, BODY, T)).toBe(
      't=1700000000,v1=bc08c591847b765241711bcbe7067e3869a219e424d3fdd9d00b3b6f915baf97',
    );
  });

  it('signs bytes the same as the string they encode', () => {
    expect(signWebhook(SECRET, new TextEncoder().encode(BODY), T)).toBe(signWebhook(SECRET, BODY, T));
  });

  it('refuses a timestamp that is not whole seconds', () => {
    expect(() => signWebhook(SECRET, BODY, 1.5)).toThrow(RangeError);
    expect(() => signWebhook(SECRET, BODY, -1)).toThrow(RangeError);
  });
});

describe('verifyWebhook', () => {
  const header = signWebhook(SECRET, BODY, T);

  it('accepts its own signature within the tolerance, either side of the timestamp', () => {
    expect(verifyWebhook(SECRET, BODY, header, { now: AT_T })).toEqual({ isValid: true, timestamp: T });
    expect(verifyWebhook(SECRET, BODY, header, { now: new Date((T + 300) * 1000) }).isValid).toBe(true);
    expect(verifyWebhook(SECRET, BODY, header, { now: new Date((T - 300) * 1000) }).isValid).toBe(true);
  });

  it('refuses a tampered body', () => {
    expect(verifyWebhook(SECRET, '{"type":"pong"}', header, { now: AT_T })).toEqual({
      isValid: false,
      reason: 'signature_mismatch',
    });
    expect(verifyWebhook(SECRET, `${BODY} `, header, { now: AT_T }).isValid).toBe(false);
  });

  it('refuses the wrong secret', () => {
    expect(verifyWebhook('whsec_other', BODY, header, { now: AT_T })).toEqual({
      isValid: false,
      reason: 'signature_mismatch',
    });
  });

  it('refuses a stale or far-future timestamp (replays), even with a valid signature', () => {
    const stale = verifyWebhook(SECRET, BODY, header, { now: new Date((T + 301) * 1000) });
    expect(stale).toEqual({ isValid: false, reason: 'timestamp_out_of_tolerance' });
    expect(verifyWebhook(SECRET, BODY, header, { now: new Date((T - 301) * 1000) }).isValid).toBe(false);
    expect(
      verifyWebhook(SECRET, BODY, header, { now: new Date((T + 3600) * 1000), toleranceSeconds: 3600 })
        .isValid,
    ).toBe(true);
  });

  it('refuses a moved timestamp: t is part of what is signed', () => {
    const moved = header.replace(`t=${T}`, `t=${T + 1}`);
    expect(verifyWebhook(SECRET, BODY, moved, { now: AT_T })).toEqual({
      isValid: false,
      reason: 'signature_mismatch',
    });
  });

  it('refuses malformed headers', () => {
    const signature = header.split(',')[1]!;
    for (const bad of [
      undefined,
      null,
      '',
      signature,
      `t=${T}`,
      `t=${T},v1=abc`,
      `t=${T},v1=${'z'.repeat(64)}`,
      `t=soon,${signature}`,
      `t=${T},t=${T},${signature}`,
      `t=${T};${signature}`,
    ]) {
      expect(verifyWebhook(SECRET, BODY, bad, { now: AT_T })).toEqual({
        isValid: false,
        reason: 'malformed_header',
      });
    }
  });

  it('accepts any one of several v1 signatures (a secret being replaced) and ignores unknown schemes', () => {
    const old = signWebhook('whsec_old', BODY, T).split(',')[1]!;
    const current = header.split(',')[1]!;
    expect(verifyWebhook(SECRET, BODY, `t=${T},${old},${current}`, { now: AT_T }).isValid).toBe(true);
    expect(verifyWebhook(SECRET, BODY, `t=${T},v0=xyz,${current}`, { now: AT_T }).isValid).toBe(true);
    expect(verifyWebhook(SECRET, BODY, `t=${T},${old}`, { now: AT_T }).isValid).toBe(false);
  });
});
