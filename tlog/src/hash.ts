// RFC 9162 §2.1.1 hashing with SHA-256 through WebCrypto, so the same code runs in Node 20+ and
// in browsers (which expose crypto.subtle only in secure contexts: https or localhost).
import { concatBytes, decodeHex } from './bytes.js';
import { TlogError } from './errors.js';

/** Length of every leaf, node and root hash: SHA-256. */
export const HASH_SIZE = 32;

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);
const EMPTY_ROOT_HEX = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

// WebCrypto types are taken from the global itself, not named (SubtleCrypto, CryptoKey), so this
// package type-checks both with the DOM library (the web app) and with @types/node alone (the
// server), neither of which has the other's names.
type WebCrypto = typeof globalThis.crypto;
type Subtle = WebCrypto['subtle'];
/** A WebCrypto CryptoKey, whichever library declares it. */
export type WebCryptoKey = Awaited<ReturnType<Subtle['importKey']>>;

/** WebCrypto's SubtleCrypto; shared with the note signatures, not part of the public API. */
export function subtle(): Subtle {
  const value = (globalThis as { crypto?: WebCrypto }).crypto?.subtle;
  if (value === undefined) {
    throw new TlogError('invalid_argument', 'WebCrypto (crypto.subtle) is not available in this context');
  }
  return value;
}

/** Cryptographically random bytes from WebCrypto. */
export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  (globalThis as { crypto: WebCrypto }).crypto.getRandomValues(bytes);
  return bytes;
}

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest('SHA-256', concatBytes(data)));
}

/** MTH({}) = SHA-256() — the root of the empty tree (RFC 9162 §2.1.1). A fresh copy each call. */
export function emptyRoot(): Uint8Array {
  return decodeHex(EMPTY_ROOT_HEX);
}

/** Leaf hash: SHA-256(0x00 || leaf) (RFC 9162 §2.1.1), over the exact leaf bytes. */
export async function hashLeaf(leaf: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest('SHA-256', concatBytes(LEAF_PREFIX, leaf)));
}

/** Interior node hash: SHA-256(0x01 || left || right) (RFC 9162 §2.1.1). */
export async function hashChildren(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().digest('SHA-256', concatBytes(NODE_PREFIX, left, right)));
}

export function assertHash(hash: Uint8Array, what: string): void {
  if (hash.length !== HASH_SIZE) {
    throw new TlogError('invalid_argument', `${what} must be ${HASH_SIZE} bytes, got ${hash.length}`);
  }
}
