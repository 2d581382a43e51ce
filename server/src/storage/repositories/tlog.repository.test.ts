import { describe, expect, it } from 'vitest';
import { powerOfTwoChunks } from './tlog.repository.js';

const sizes = (n: number, max: number) =>
  [...powerOfTwoChunks([...Array(n).keys()], max)].map((c) => c.length);

describe('powerOfTwoChunks', () => {
  it('splits a batch into the binary digits of its size, largest first, after whole chunks of max', () => {
    expect(sizes(13, 8)).toEqual([8, 4, 1]);
    expect(sizes(300, 128)).toEqual([128, 128, 32, 8, 4]);
    expect(sizes(64, 128)).toEqual([64]);
    expect(sizes(1, 128)).toEqual([1]);
    expect(sizes(0, 128)).toEqual([]);
  });

  it('keeps every item once, in order', () => {
    const items = [...Array(1000).keys()];
    expect([...powerOfTwoChunks(items, 256)].flat()).toEqual(items);
  });

  it('uses few distinct sizes whatever the batch: at most log2(max) + 1', () => {
    const distinct = new Set<number>();
    for (let n = 1; n <= 600; n++) for (const size of sizes(n, 128)) distinct.add(size);
    expect([...distinct].sort((a, b) => a - b)).toEqual([1, 2, 4, 8, 16, 32, 64, 128]);
  });
});
