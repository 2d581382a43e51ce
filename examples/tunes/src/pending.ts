// Short-lived things Tunes waits for, kept in memory under a random key: an OAuth request until
// the person comes back from Parley's consent screen, a share until they come back from Parley's
// share dialog. Each is taken once. A restart forgets them; the person simply starts again.
import { randomBytes } from 'node:crypto';

export interface PendingMap<T> {
  /** Keeps `value` and returns its new random key. */
  put(value: T): string;
  /** The value under `key`, removed; undefined when unknown or older than the time to live. */
  take(key: string): T | undefined;
}

export function pendingMap<T>(ttlMs: number, maxSize = 10_000): PendingMap<T> {
  const entries = new Map<string, { value: T; expiresAt: number }>();
  return {
    put(value) {
      const now = Date.now();
      for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
      // Bounded: a flood of unfinished requests drops the oldest, never grows without end.
      while (entries.size >= maxSize) entries.delete(entries.keys().next().value!);
      const key = randomBytes(24).toString('base64url');
      entries.set(key, { value, expiresAt: now + ttlMs });
      return key;
    },
    take(key) {
      const entry = entries.get(key);
      entries.delete(key);
      return entry && entry.expiresAt > Date.now() ? entry.value : undefined;
    },
  };
}

/** Conversation and message ids from a return link (`a,b,c`); anything that is not an id is dropped. */
export function idList(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return value.split(',').filter((id) => /^[A-Za-z0-9_-]{1,100}$/.test(id));
}
