// Queries compiled once: each call's values land where its arguments were, constants stay, a
// transaction's connection is used inside it, and writes still count for the group commit —
// on a real SQLite database in WAL mode.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, openStorage, type Storage } from './database.js';
import { prepared } from './prepared.js';
import type { Database } from './schema.js';

describe('prepared queries', () => {
  let dir: string;
  let storage: Storage;
  const at = '2026-01-01T00:00:00.000Z';

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-prepared-'));
    storage = openStorage({ kind: 'sqlite', file: path.join(dir, 'parley.sqlite') });
    await migrateToLatest(storage.db);
    for (const name of ['a', 'b', 'c']) await storage.repos.secrets.putIfAbsent(name, `value of ${name}`, at);
  });
  afterEach(async () => {
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs with each call’s values, builds once per database, and keeps constants', async () => {
    let builds = 0;
    const secretsBetween = prepared((db: Kysely<Database>, from: string, to: string, limit: number) => {
      builds++;
      return db
        .selectFrom('secrets')
        .select('name')
        .where('name', '>=', from)
        .where('name', '<=', to)
        .where('created_at', '=', at)
        .orderBy('name')
        .limit(limit);
    });
    const names = async (from: string, to: string, limit: number) =>
      (await secretsBetween(storage.db, from, to, limit)).rows.map((r) => r.name);

    expect(await names('a', 'c', 10)).toEqual(['a', 'b', 'c']);
    expect(await names('b', 'c', 10)).toEqual(['b', 'c']);
    expect(await names('a', 'c', 1)).toEqual(['a']);
    expect(builds).toBe(1);
  });

  it('fills an argument used twice in both places', async () => {
    const same = prepared((db: Kysely<Database>, name: string) =>
      db.selectFrom('secrets').select('value').where('name', '=', name).where('name', '>=', name),
    );
    expect((await same(storage.db, 'b')).rows).toEqual([{ value: 'value of b' }]);
  });

  it('refuses a query that does not bind an argument as a parameter', () => {
    const inlined = prepared((db: Kysely<Database>, name: string) =>
      db.selectFrom('secrets').select('value').where('name', '=', sql.lit(name)),
    );
    expect(() => inlined(storage.db, 'a')).toThrow('argument 0 is not a parameter');
  });

  it('inside a transaction, runs on its connection; its writes wait for the group commit', async () => {
    const insert = prepared((db: Kysely<Database>, name: string, value: string) =>
      db.insertInto('secrets').values({ name, value, created_at: at }),
    );
    const find = prepared((db: Kysely<Database>, name: string) =>
      db.selectFrom('secrets').select('value').where('name', '=', name),
    );
    // A transaction of prepared statements: the row is visible inside before commit, and gone
    // when the transaction rolls back.
    await expect(
      storage.db.transaction().execute(async (trx) => {
        await insert(trx, 'd', 'value of d');
        expect((await find(trx, 'd')).rows).toEqual([{ value: 'value of d' }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await find(storage.db, 'd')).rows).toEqual([]);

    // Everything so far is on disk; a prepared write outside a transaction counts as a write,
    // so waiting for durability runs one more fsync.
    await storage.durable();
    const syncsBefore = storage.groupCommit!.syncCount;
    await storage.durable();
    expect(storage.groupCommit!.syncCount).toBe(syncsBefore);
    await insert(storage.db, 'e', 'value of e');
    await storage.durable();
    expect(storage.groupCommit!.syncCount).toBe(syncsBefore + 1);
  });
});
