// Group commit: concurrent commits share fsyncs, and every commit waits for one that began
// after it — on a real SQLite database in WAL mode.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, openStorage, type Storage } from './database.js';

describe('group commit on SQLite', () => {
  let dir: string;
  let storage: Storage;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-group-'));
    storage = openStorage({ kind: 'sqlite', file: path.join(dir, 'parley.sqlite') });
    await migrateToLatest(storage.db);
  });
  afterEach(async () => {
    await storage.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const fsyncs = () => storage.groupCommit!.syncCount;
  const at = new Date().toISOString();

  it('shares one fsync among commits waiting at the same time, and never returns before one', async () => {
    const before = fsyncs();
    const commits = 200;
    await Promise.all(
      Array.from({ length: commits }, (_, i) =>
        storage.transaction((repos) => repos.secrets.putIfAbsent(`k${i}`, `v${i}`, at)),
      ),
    );
    const used = fsyncs() - before;
    expect(used).toBeGreaterThanOrEqual(1);
    expect(used).toBeLessThan(commits / 4);

    // One commit alone still gets its own fsync before it returns.
    const alone = fsyncs();
    await storage.transaction((repos) => repos.secrets.putIfAbsent('alone', 'v', at));
    expect(fsyncs()).toBe(alone + 1);
  });

  it('makes a single write outside a transaction durable on request, and does nothing when nothing was written', async () => {
    await storage.durable();
    const idle = fsyncs();
    await storage.durable();
    expect(fsyncs()).toBe(idle);
    await storage.repos.secrets.putIfAbsent('single', 'v', at);
    await storage.durable();
    expect(fsyncs()).toBe(idle + 1);
    expect(await storage.repos.secrets.find('single')).toBe('v');
  });
});
