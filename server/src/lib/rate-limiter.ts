// Token buckets (capacity, refill per second), keyed by whatever the caller limits: an app, or
// an app acting for one person. In memory, per API node: a limit of N per node is at most
// N × nodes overall, which is what a per-node guard against a runaway partner needs.
import type { Clock } from './clock.js';

export interface BucketRule {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

export interface RateLimiter {
  /** Takes one token from every bucket, or none: returns 0, or the seconds to wait. */
  take(keys: readonly { key: string; rule: BucketRule }[]): number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Buckets idle this long are full again and can be forgotten. */
const SWEEP_EVERY = 10_000;

export function createRateLimiter(clock: Clock): RateLimiter {
  const buckets = new Map<string, Bucket>();
  let takes = 0;

  const refill = (bucket: Bucket, rule: BucketRule, now: number) => {
    const elapsed = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(rule.capacity, bucket.tokens + elapsed * rule.refillPerSecond);
    bucket.updatedAt = now;
  };

  return {
    take(keys) {
      const now = clock.now().getTime();
      if (++takes % SWEEP_EVERY === 0) {
        for (const [key, bucket] of buckets) if (now - bucket.updatedAt > 3_600_000) buckets.delete(key);
      }
      let wait = 0;
      const current = keys.map(({ key, rule }) => {
        let bucket = buckets.get(key);
        if (!bucket) buckets.set(key, (bucket = { tokens: rule.capacity, updatedAt: now }));
        refill(bucket, rule, now);
        if (bucket.tokens < 1) wait = Math.max(wait, (1 - bucket.tokens) / rule.refillPerSecond);
        return bucket;
      });
      if (wait > 0) return Math.ceil(wait);
      for (const bucket of current) bucket.tokens -= 1;
      return 0;
    },
  };
}
