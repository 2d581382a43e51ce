// Webhook signatures (DESIGN.md "Partner API": HMAC-SHA256 over timestamp + body), in the
// Stripe style partners already know:
//
//   Parley-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, `${t}.${body}`)>
//
// The timestamp is signed with the body, so a captured request cannot be replayed after the
// tolerance window. Several v1 entries may appear (one per secret while a secret is being
// replaced); one match is enough. Pure: the SDK reuses verifyWebhook as it is.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Parley-Signature';
/** The delivery's id: the same on every retry, so receivers can drop duplicates. */
export const WEBHOOK_ID_HEADER = 'Parley-Webhook-Id';
export const EVENT_HEADER = 'Parley-Event';

/** How far a signature's timestamp may be from the receiver's clock. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const SCHEME = 'v1';

/** The secret is used as given (its UTF-8 bytes are the HMAC key); the body is the exact bytes sent. */
function hmac(secret: string, body: string | Uint8Array, t: number): Buffer {
  return createHmac('sha256', secret).update(`${t}.`).update(body).digest();
}

/** The Parley-Signature header value for `body` sent at `t` (unix seconds). */
export function signWebhook(secret: string, body: string | Uint8Array, t: number): string {
  if (!Number.isSafeInteger(t) || t < 0) throw new RangeError('t must be whole unix seconds');
  return `t=${t},${SCHEME}=${hmac(secret, body, t).toString('hex')}`;
}

export type WebhookVerification =
  | { readonly isValid: true; readonly timestamp: number }
  | {
      readonly isValid: false;
      readonly reason: 'malformed_header' | 'timestamp_out_of_tolerance' | 'signature_mismatch';
    };

export interface VerifyOptions {
  /** Default 300 s. */
  readonly toleranceSeconds?: number;
  /** The receiver's time; default the system clock. */
  readonly now?: Date;
}

function parseHeader(header: string): { t: number; signatures: Buffer[] } | null {
  let t: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return null;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (t !== null || !/^\d{1,15}$/.test(value)) return null;
      t = Number(value);
    } else if (key === SCHEME) {
      if (!/^[0-9a-f]{64}$/i.test(value)) return null;
      signatures.push(Buffer.from(value, 'hex'));
    }
    // Other schemes are ignored, so a later scheme can be added beside v1.
  }
  return t === null || signatures.length === 0 ? null : { t, signatures };
}

/**
 * Checks a Parley-Signature header against the raw body: the timestamp must be within the
 * tolerance of `now` (either side) and one v1 signature must match, compared in constant time.
 */
export function verifyWebhook(
  secret: string,
  body: string | Uint8Array,
  header: string | null | undefined,
  options: VerifyOptions = {},
): WebhookVerification {
  const parsed = header ? parseHeader(header) : null;
  if (!parsed) return { isValid: false, reason: 'malformed_header' };
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - parsed.t) > tolerance) {
    return { isValid: false, reason: 'timestamp_out_of_tolerance' };
  }
  const expected = hmac(secret, body, parsed.t);
  // Every candidate is compared (no early exit), each in constant time.
  let isMatch = false;
  for (const signature of parsed.signatures) {
    if (signature.length === expected.length && timingSafeEqual(signature, expected)) isMatch = true;
  }
  return isMatch ? { isValid: true, timestamp: parsed.t } : { isValid: false, reason: 'signature_mismatch' };
}
