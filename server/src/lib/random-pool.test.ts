import { describe, expect, it } from 'vitest';
import { randomBytesFromPool } from './random-pool.js';

describe('randomBytesFromPool', () => {
  it('hands out bytes of the size asked, never the same bytes twice, across refills', () => {
    const seen = new Set<string>();
    // 1,000 × 16 bytes: about four refills of the 4 KiB pool.
    for (let i = 0; i < 1000; i++) {
      const bytes = randomBytesFromPool(16);
      expect(bytes.length).toBe(16);
      seen.add(bytes.toString('hex'));
    }
    expect(seen.size).toBe(1000);
  });

  it('returns copies: changing one does not change the next', () => {
    const a = randomBytesFromPool(32);
    a.fill(0);
    expect(randomBytesFromPool(32).equals(Buffer.alloc(32))).toBe(false);
  });

  it('refuses more than the pool holds', () => {
    expect(() => randomBytesFromPool(5000)).toThrow(RangeError);
  });
});
