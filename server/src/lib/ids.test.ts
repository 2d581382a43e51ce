import { describe, expect, it } from 'vitest';
import { ID_PATTERN, newId } from './ids.js';

describe('newId', () => {
  it('makes UUIDv7 strings that sort in creation order, even within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => newId(1_800_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids.slice(0, 10)) {
      expect(id).toMatch(new RegExp(ID_PATTERN));
      expect(id[14]).toBe('7'); // version
      expect('89ab').toContain(id[19]); // RFC 9562 variant
    }
  });

  it('orders ids of later milliseconds after earlier ones', () => {
    const early = newId(1_900_000_000_000);
    const late = newId(1_900_000_000_001);
    expect(early < late).toBe(true);
    expect(parseInt(late.replace(/-/g, '').slice(0, 12), 16)).toBeGreaterThanOrEqual(1_900_000_000_001);
  });
});
