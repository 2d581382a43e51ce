// Entries that stand alone (reads) share transactions under load: each caller still gets its own
// index, durable before it resolves, and the log stays one verifiable tree — on real SQLite.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../lib/clock.js';
import { migrateToLatest, openStorage, type Storage } from '../storage/database.js';
import { verifyLog } from './log-verify.js';
import { createTransparencyService, receipts } from './transparency.service.js';

const event = (i: number) => ({
  clientId: 'app_test',
  grantId: 'grant_test',
  actorId: `user_${i % 7}`,
  action: 'app_thread.read',
  resources: { threadIds: ['thread_a'], messageIds: [`message_${i}`] },
  subjects: [`user_${i % 7}`, 'user_author'],
});

describe('recordAlone: shared transactions for entries that go with no write', () => {
  let dir: string;
  let storage: Storage;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-tlog-batch-'));
    storage = openStorage({ kind: 'sqlite', file: path.join(dir, 'parley.sqlite') });
    await migrateToLatest(storage.db);
  });
  afterEach(async () => {
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives concurrent callers distinct indexes in few transactions, each in its own receipt, in one verifiable tree', async () => {
    const log = createTransparencyService({ storage, clock: systemClock, origin: 'test.example/log' });
    const fsyncsBefore = storage.groupCommit!.syncCount;
    const callers = 300;
    const results = await Promise.all(
      Array.from({ length: callers }, (_, i) =>
        receipts.run([], async () => {
          const index = await log.recordAlone(event(i));
          return { index, receipt: receipts.getStore() };
        }),
      ),
    );
    const indexes = results.map((r) => r.index).sort((a, b) => a - b);
    expect(indexes).toEqual(Array.from({ length: callers }, (_, i) => i));
    for (const r of results) expect(r.receipt).toEqual([r.index]);
    expect(storage.groupCommit!.syncCount - fsyncsBefore).toBeLessThan(callers / 10);

    // Each caller's entry is what it asked to record, and the tree verifies end to end.
    const rows = await storage.repos.tlog.entriesInRange(0, callers);
    for (const r of results) {
      const leaf = JSON.parse(Buffer.from(rows[r.index]!.leaf, 'base64').toString('utf8')) as {
        messages: string[];
      };
      const i = results.indexOf(r);
      expect(leaf.messages).toEqual([`message_${i}`]);
    }
    await log.signPending();
    expect(await verifyLog(storage)).toMatchObject({ ok: true, entries: callers });
  });

  it('a lone entry is appended at once, and the next batch goes on after a failed one', async () => {
    const log = createTransparencyService({ storage, clock: systemClock, origin: 'test.example/log' });
    expect(await log.recordAlone(event(0))).toBe(0);
    // A transaction that fails (the subjects table is gone for a moment) fails its callers only.
    await storage.db.schema.alterTable('tlog_subjects').renameTo('tlog_subjects_away').execute();
    await expect(log.recordAlone(event(1))).rejects.toThrow();
    await storage.db.schema.alterTable('tlog_subjects_away').renameTo('tlog_subjects').execute();
    expect(await log.recordAlone(event(2))).toBe(1);
    expect((await storage.repos.tlog.state()).size).toBe(2);
  });
});
