import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.js';

function clockAt(ms: number) {
  let now = ms;
  return { now: () => new Date(now), advance: (d: number) => (now += d) };
}

describe('rate limiter', () => {
  const rule = { capacity: 3, refillPerSecond: 1 };

  it('allows a burst up to capacity, then says how long to wait, then refills', () => {
    const clock = clockAt(0);
    const limiter = createRateLimiter(clock);
    const key = [{ key: 'app:ann', rule }];
    expect([limiter.take(key), limiter.take(key), limiter.take(key)]).toEqual([0, 0, 0]);
    expect(limiter.take(key)).toBe(1);
    clock.advance(1000);
    expect(limiter.take(key)).toBe(0);
    expect(limiter.take(key)).toBe(1);
  });

  it('takes from every bucket or from none', () => {
    const clock = clockAt(0);
    const limiter = createRateLimiter(clock);
    const app = { key: 'app', rule: { capacity: 2, refillPerSecond: 1 } };
    const ann = { key: 'app:ann', rule };
    const bob = { key: 'app:bob', rule };
    expect(limiter.take([app, ann])).toBe(0);
    expect(limiter.take([app, bob])).toBe(0);
    // The app's own bucket is empty: Bob's request is refused and his bucket keeps its tokens.
    expect(limiter.take([app, bob])).toBe(1);
    clock.advance(2000);
    expect([limiter.take([app, bob]), limiter.take([app, bob])]).toEqual([0, 0]);
  });

  it('keys are independent', () => {
    const limiter = createRateLimiter(clockAt(0));
    for (let i = 0; i < 3; i++) limiter.take([{ key: 'a', rule }]);
    expect(limiter.take([{ key: 'a', rule }])).toBeGreaterThan(0);
    expect(limiter.take([{ key: 'b', rule }])).toBe(0);
  });
});
