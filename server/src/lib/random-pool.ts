// Random bytes drawn from a buffer refilled from the CSPRNG, one call per 4 KiB instead of one
// per id or salt: `randomBytes(16)` on every message id and log entry was 1.5% of a send.
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/** `size` fresh random bytes (at most 4 KiB), copied out of the pool: never handed out twice. */
export function randomBytesFromPool(size: number): Buffer {
  if (size > POOL_BYTES) throw new RangeError(`at most ${POOL_BYTES} bytes at once`);
  if (offset + size > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  offset += size;
  return bytes;
}
