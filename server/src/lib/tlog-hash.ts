// RFC 9162 §2.1.1 hashing with node:crypto, synchronous: the server appends to the log while it
// holds the database's write lock, where each WebCrypto digest would be a thread-pool round trip.
// @parley/tlog stays WebCrypto-only (browsers verify with it); tlog-hash.test.ts checks that both
// give the same hashes.
import { createHash } from 'node:crypto';

const LEAF_PREFIX = Buffer.of(0x00);
const NODE_PREFIX = Buffer.of(0x01);

/** SHA-256(0x00 || leaf). */
export function hashLeafSync(leaf: Uint8Array): Uint8Array {
  return createHash('sha256').update(LEAF_PREFIX).update(leaf).digest();
}

/** SHA-256(0x01 || left || right). */
export function hashChildrenSync(left: Uint8Array, right: Uint8Array): Uint8Array {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}
