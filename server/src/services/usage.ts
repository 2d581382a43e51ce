// How much each app uses each action, for the developer console: counted in memory on the hot
// path and written in one transaction per second (and before anyone reads the counts), instead
// of one write per partner request. A crash loses at most a second of counts — of usage
// statistics, never of the transparency log, which is written before each answer.
import type { Clock } from '../lib/clock.js';
import type { Storage } from '../storage/database.js';

export const USAGE_FLUSH_INTERVAL_MS = 1_000;

export interface UsageCounter {
  /** One successful request of `clientId` doing `action`. */
  count(clientId: string, action: string): void;
  /** Writes what was counted so far; resolves once it is stored (or failed). */
  flush(): Promise<void>;
}

export function createUsageCounter(deps: { storage: Storage; clock: Clock }): UsageCounter {
  const pending = new Map<string, { clientId: string; action: string; count: number; at: string }>();
  let chain: Promise<void> = Promise.resolve();

  async function write(): Promise<void> {
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    pending.clear();
    try {
      await deps.storage.transaction(async (repos) => {
        for (const u of batch) await repos.apps.addUsage(u.clientId, u.action, u.count, u.at);
      });
    } catch (error) {
      // Counted again next time rather than lost (merged with what arrived meanwhile).
      for (const u of batch) {
        const key = `${u.clientId}\u0000${u.action}`;
        const later = pending.get(key);
        pending.set(key, later ? { ...later, count: later.count + u.count } : u);
      }
      throw error;
    }
  }

  return {
    count(clientId, action) {
      const key = `${clientId}\u0000${action}`;
      const at = deps.clock.now().toISOString();
      const entry = pending.get(key);
      if (entry) {
        entry.count++;
        entry.at = at;
      } else {
        pending.set(key, { clientId, action, count: 1, at });
      }
    },
    flush() {
      // One write at a time, in order; a caller waits for the write that includes its counts.
      const run = chain.then(write);
      chain = run.catch(() => undefined);
      return run;
    },
  };
}
