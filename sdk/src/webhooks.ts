// Webhook signatures, the receiving side (DESIGN.md "Partner API": HMAC-SHA256 over timestamp +
// body), with WebCrypto so it runs anywhere:
//
//   Parley-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, `${t}.${body}`)>
//
// The timestamp is signed with the body, so a captured delivery cannot be replayed once it is
// outside the tolerance. Several v1 entries may appear while a secret is being replaced; one
// match is enough. Other schemes are ignored, so one can be added beside v1 later.
import { ParleyWebhookError } from './errors.js';
import type { WebhookEvent } from './types.js';

/** The header carrying the signature. */
export const SIGNATURE_HEADER = 'Parley-Signature';
/** The delivery's id, the same on every retry: drop deliveries whose id you have seen. */
export const WEBHOOK_ID_HEADER = 'Parley-Webhook-Id';
/** The event type (`message.created`, `grant.revoked`, `grant.expired`). */
export const EVENT_HEADER = 'Parley-Event';

const SCHEME = 'v1';

/** The options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /** The app's webhook secret (shown once when the app was registered; not the client secret). */
  secret: string;
  /** The `Parley-Signature` header as received. */
  signatureHeader: string | null | undefined;
  /** The raw request body, exactly as received: re-serialised JSON will not match. */
  body: string | Uint8Array;
  /** How far the signature's time may be from `now`, either way; default 300 s. */
  toleranceSeconds?: number;
  /** The receiver's time; default the system clock. */
  now?: Date;
}

function parseSignatureHeader(header: string): { t: number; signatures: Uint8Array[] } | undefined {
  let t: number | undefined;
  const signatures: Uint8Array[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (t !== undefined || !/^\d{1,15}$/.test(value)) return undefined;
      t = Number(value);
    } else if (key === SCHEME) {
      if (!/^[0-9a-f]{64}$/i.test(value)) return undefined;
      signatures.push(Uint8Array.from(value.match(/../g)!, (byte) => parseInt(byte, 16)));
    }
  }
  return t === undefined || signatures.length === 0 ? undefined : { t, signatures };
}

/** Compares in time that depends only on the lengths, never on where the bytes differ. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

async function hmacSha256(secret: string, message: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  const key = await globalThis.crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', key, message));
}

/**
 * Checks that a webhook request is a fresh delivery from Parley and returns its event. Throws
 * {@link ParleyWebhookError} (answer 400 and ignore the request) when the header is missing or
 * malformed, the timestamp is outside the tolerance, no signature matches (wrong secret or a
 * changed body), or the body is not an event.
 *
 * @example
 * // Express: app.post('/webhooks/parley', express.raw({ type: 'application/json' }), async (req, res) => {
 * const event = await verifyWebhook({
 *   secret: process.env.PARLEY_WEBHOOK_SECRET!,
 *   signatureHeader: req.get('Parley-Signature'),
 *   body: req.body, // the raw bytes
 * });
 */
export async function verifyWebhook(options: VerifyWebhookOptions): Promise<WebhookEvent> {
  const parsed = options.signatureHeader ? parseSignatureHeader(options.signatureHeader) : undefined;
  if (!parsed) {
    throw new ParleyWebhookError(
      'malformed_header',
      `The ${SIGNATURE_HEADER} header is missing or malformed.`,
    );
  }
  const tolerance = options.toleranceSeconds ?? 300;
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - parsed.t) > tolerance) {
    throw new ParleyWebhookError(
      'timestamp_out_of_tolerance',
      `The signature's time is more than ${tolerance} s from now: a replay, or a clock that is off.`,
    );
  }
  const encoder = new TextEncoder();
  const body = typeof options.body === 'string' ? encoder.encode(options.body) : options.body;
  const prefix = encoder.encode(`${parsed.t}.`);
  const message = new Uint8Array(prefix.length + body.length);
  message.set(prefix);
  message.set(body, prefix.length);
  const expected = await hmacSha256(options.secret, message);
  // Every candidate is compared (no early exit), each in constant time.
  let isMatch = false;
  for (const signature of parsed.signatures) if (constantTimeEqual(signature, expected)) isMatch = true;
  if (!isMatch) {
    throw new ParleyWebhookError('signature_mismatch', 'No signature matches this body and secret.');
  }
  let event: unknown;
  try {
    event = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new ParleyWebhookError('malformed_body', 'The body is not JSON.');
  }
  if (typeof event !== 'object' || event === null || typeof (event as { type?: unknown }).type !== 'string') {
    throw new ParleyWebhookError('malformed_body', 'The body is not a webhook event.');
  }
  return event as WebhookEvent;
}
