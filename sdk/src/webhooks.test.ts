// Signed by the server's own signer, so the two sides are checked against each other.
import { describe, expect, it } from 'vitest';
import { signWebhook } from '../../server/src/lib/webhook-signature.js';
import { ParleyWebhookError } from './errors.js';
import { verifyWebhook } from './webhooks.js';

const secret = 'whsec_test_secret';
const now = new Date('2026-05-01T12:00:00Z');
const t = Math.floor(now.getTime() / 1000);
const body = JSON.stringify({
  type: 'grant.revoked',
  id: 'd1',
  createdAt: now.toISOString(),
  data: { grantId: 'g', userId: 'u', clientId: 'app_x' },
});

async function refusal(promise: Promise<unknown>): Promise<ParleyWebhookError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ParleyWebhookError);
  return error as ParleyWebhookError;
}

describe('verifyWebhook', () => {
  it('accepts a good signature over the exact body, as text or bytes, and returns the event', async () => {
    const header = signWebhook(secret, body, t);
    const event = await verifyWebhook({ secret, signatureHeader: header, body, now });
    expect(event).toEqual(JSON.parse(body));
    const bytes = new TextEncoder().encode(body);
    await expect(verifyWebhook({ secret, signatureHeader: header, body: bytes, now })).resolves.toEqual(
      event,
    );
  });

  it('accepts any matching v1 among several (a secret being replaced) and ignores other schemes', async () => {
    const good = signWebhook(secret, body, t).split(',')[1]!;
    const other = signWebhook('old secret', body, t).split(',')[1]!;
    const header = `t=${t}, ${other}, v2=abc, ${good}`;
    await expect(verifyWebhook({ secret, signatureHeader: header, body, now })).resolves.toMatchObject({
      type: 'grant.revoked',
    });
  });

  it('refuses a wrong secret', async () => {
    const header = signWebhook('someone else', body, t);
    expect((await refusal(verifyWebhook({ secret, signatureHeader: header, body, now }))).reason).toBe(
      'signature_mismatch',
    );
  });

  it('refuses a tampered body, and a signature moved to another time', async () => {
    const header = signWebhook(secret, body, t);
    const tampered = body.replace('"g"', '"h"');
    expect(
      (await refusal(verifyWebhook({ secret, signatureHeader: header, body: tampered, now }))).reason,
    ).toBe('signature_mismatch');
    const moved = header.replace(`t=${t}`, `t=${t + 1}`);
    expect((await refusal(verifyWebhook({ secret, signatureHeader: moved, body, now }))).reason).toBe(
      'signature_mismatch',
    );
  });

  it('refuses a stale or future timestamp beyond the tolerance, and accepts the edge', async () => {
    for (const when of [t - 301, t + 301]) {
      const header = signWebhook(secret, body, when);
      expect((await refusal(verifyWebhook({ secret, signatureHeader: header, body, now }))).reason).toBe(
        'timestamp_out_of_tolerance',
      );
    }
    const edge = signWebhook(secret, body, t - 300);
    await expect(verifyWebhook({ secret, signatureHeader: edge, body, now })).resolves.toBeDefined();
    const old = signWebhook(secret, body, t - 3600);
    await expect(
      verifyWebhook({ secret, signatureHeader: old, body, now, toleranceSeconds: 7200 }),
    ).resolves.toBeDefined();
  });

  it('refuses a missing or malformed header', async () => {
    const v1 = signWebhook(secret, body, t).split(',')[1]!;
    for (const header of [
      undefined,
      null,
      '',
      'garbage',
      `${v1}`,
      `t=${t}`,
      `t=${t},v1=nothex`,
      `t=${t},v1=${'a'.repeat(63)}`,
      `t=abc,${v1}`,
      `t=${t},t=${t},${v1}`,
      `t=${t},${v1},junk`,
    ]) {
      expect((await refusal(verifyWebhook({ secret, signatureHeader: header, body, now }))).reason).toBe(
        'malformed_header',
      );
    }
  });

  it('refuses a signed body that is not an event', async () => {
    for (const text of ['not json', '[1]', '{"id":"x"}']) {
      const header = signWebhook(secret, text, t);
      expect(
        (await refusal(verifyWebhook({ secret, signatureHeader: header, body: text, now }))).reason,
      ).toBe('malformed_body');
    }
  });
});
