// The transparency log in-process, on SQLite as the server opens it (WAL, durable commits):
//
// tlog.append — durable entries a second through the service's recordAlone path, from many
//   concurrent callers (as concurrent partner reads call it: entries arriving together share a
//   transaction, durable before any of them resolves, on the server's storage), against raw
//   better-sqlite3 prepared inserts of the same rows (entry, subjects, tree nodes, state) with
//   synchronous = FULL, committed in batches as large as the number of callers (a merge delay
//   well under a second).
// tlog.proof — inclusion proofs a second through the service (the checkpoint, one query for the
//   O(log n) stored nodes) in a log of N entries, against the same in a log of 1,000.
//
// Subject and baseline alternate in short slices, so a noisy neighbour slows both alike. Logs are
// built in bulk from precomputed rows (node:crypto, one transaction), then checked: proofs from
// the built log must verify against its root with @parley/tlog.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompactTree, decodeBase64, encodeBase64, hashLeaf, verifyInclusion } from '@parley/tlog';
import { systemClock } from '../../server/src/lib/clock.js';
import { createTransparencyService } from '../../server/src/services/transparency.service.js';
import { migrateToLatest, openStorage, type Storage } from '../../server/src/storage/database.js';
import { workerMain } from '../lib/proc.js';

export interface TlogInput {
  /** Entries of the large log for tlog.proof. */
  proofEntries: number;
  /** Seconds each of subject and baseline is measured for. */
  seconds: number;
  /** Concurrent appenders (subject) and entries per commit (baseline). */
  appenders: number;
}

export interface TlogOutput {
  /** fsyncs: the group commits of the subject's storage (null where it has none). */
  append: { perSecond: number; entries: number; fsyncs: number | null };
  rawInsert: { perSecond: number; entries: number; batch: number };
  /** Raw inserts with one commit per entry: the fsync floor, for the report. */
  rawInsertPerEntryCommit: number;
  proofLarge: { perSecond: number; entries: number };
  proofSmall: { perSecond: number; entries: number };
  buildSeconds: number;
}

const ORIGIN = 'bench.example/transparency';
const EVENT = {
  clientId: 'app_bench',
  grantId: 'grant_bench',
  actorId: 'user_bench',
  action: 'app_thread.read',
  resources: { threadIds: ['thread_bench'], messageIds: ['message_bench'] },
  subjects: ['user_bench', 'user_friend'],
};

const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const LEAF = Uint8Array.of(0);
const NODE = Uint8Array.of(1);

/**
 * Appends leaves the way CompactTree does, synchronously with node:crypto: each leaf yields its
 * leaf hash (level 0) and every perfect node it completes — exactly the rows the log stores.
 */
function syncTree() {
  const stack: { level: number; index: number; hash: Buffer }[] = [];
  let size = 0;
  return {
    get size() {
      return size;
    },
    append(leaf: Uint8Array): { level: number; idx: number; hash: string }[] {
      const index = size++;
      let node = { level: 0, index, hash: sha(LEAF, leaf) };
      const created = [{ level: 0, idx: index, hash: node.hash.toString('base64') }];
      while (stack.length > 0 && stack.at(-1)!.level === node.level) {
        const left = stack.pop()!;
        node = { level: node.level + 1, index: left.index / 2, hash: sha(NODE, left.hash, node.hash) };
        created.push({ level: node.level, idx: node.index, hash: node.hash.toString('base64') });
      }
      stack.push(node);
      return created;
    },
    /** The compact range [0, size), largest first: the state row's frontier. */
    frontier: () => stack.map((n) => n.hash.toString('base64')),
    /** RFC 9162 root: the frontier folded from the right (SHA-256 of nothing when empty). */
    root(): string {
      let root: Buffer | undefined;
      for (let i = stack.length - 1; i >= 0; i--)
        root = root ? sha(NODE, stack[i]!.hash, root) : stack[i]!.hash;
      return (root ?? sha()).toString('base64');
    },
  };
}

function leafBytes(i: number): Uint8Array {
  const leaf = {
    action: EVENT.action,
    actor: EVENT.actorId,
    app: EVENT.clientId,
    grant: EVENT.grantId,
    messages: EVENT.resources.messageIds,
    salt: randomBytes(16).toString('base64'),
    subjects: [...EVENT.subjects].sort(),
    threads: EVENT.resources.threadIds,
    time: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
    v: 1,
  };
  return new TextEncoder().encode(JSON.stringify(leaf));
}

function rawStatements(db: SqliteDatabase.Database) {
  return {
    entry: db.prepare('insert into tlog_entries (idx, leaf, client_id, created_at) values (?, ?, ?, ?)'),
    subject: db.prepare('insert into tlog_subjects (user_id, idx) values (?, ?)'),
    node: db.prepare('insert into tlog_nodes (level, idx, hash) values (?, ?, ?)'),
    state: db.prepare('update tlog_state set size = ?, root = ?, frontier = ? where id = 0'),
  };
}

async function migratedFile(dir: string, name: string): Promise<string> {
  const file = path.join(dir, name);
  const storage = openStorage({ kind: 'sqlite', file });
  await migrateToLatest(storage.db);
  await storage.close();
  return file;
}

/** A log of `size` entries built in bulk (setup, not measured: synchronous = OFF for the build). */
async function buildLog(
  dir: string,
  name: string,
  size: number,
): Promise<{ storage: Storage; root: Uint8Array }> {
  const file = await migratedFile(dir, `${name}.sqlite`);
  const db = new SqliteDatabase(file);
  db.pragma('synchronous = OFF');
  const s = rawStatements(db);
  const tree = syncTree();
  const CHUNK = 50_000;
  const insertChunk = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const leaf = leafBytes(i);
      s.entry.run(i, encodeBase64(leaf), EVENT.clientId, '2026-01-01T00:00:00.000Z');
      for (const n of tree.append(leaf)) s.node.run(n.level, n.idx, n.hash);
    }
  });
  for (let from = 0; from < size; from += CHUNK) insertChunk(from, Math.min(size, from + CHUNK));
  const frontier = tree.frontier();
  // The root as @parley/tlog computes it, so the checks below compare against the library.
  const root = await CompactTree.restore(
    size,
    frontier.map((h) => decodeBase64(h)!),
  ).root();
  if (encodeBase64(root) !== tree.root())
    throw new Error('the bulk builder and @parley/tlog disagree on the root');
  s.state.run(size, encodeBase64(root), JSON.stringify(frontier));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { storage: openStorage({ kind: 'sqlite', file }), root };
}

/** Runs `a` and `b` in alternating slices until each had `seconds`; counts a second for each. */
async function alternate(
  seconds: number,
  a: (until: number) => Promise<number>,
  b: (until: number) => Promise<number>,
): Promise<[{ perSecond: number; count: number }, { perSecond: number; count: number }]> {
  const SLICE_MS = 500;
  const totals = [
    { count: 0, ms: 0 },
    { count: 0, ms: 0 },
  ];
  for (let spent = 0; spent < seconds * 1000; spent += SLICE_MS) {
    for (const [i, run] of [a, b].entries()) {
      const started = performance.now();
      totals[i]!.count += await run(started + SLICE_MS);
      totals[i]!.ms += performance.now() - started;
    }
  }
  const [x, y] = totals.map((t) => ({ perSecond: t.count / (t.ms / 1000), count: t.count }));
  return [x!, y!];
}

await workerMain<TlogInput, TlogOutput>(async (input) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-bench-tlog-'));
  try {
    // tlog.append: the service's path for entries that go with no write of their caller (reads),
    // `appenders` callers at once: they share transactions, each durable before it resolves.
    const subjectStorage = openStorage({ kind: 'sqlite', file: await migratedFile(dir, 'append.sqlite') });
    const log = createTransparencyService({ storage: subjectStorage, clock: systemClock, origin: ORIGIN });
    const appendUntil = async (until: number) => {
      let count = 0;
      await Promise.all(
        Array.from({ length: input.appenders }, async () => {
          while (performance.now() < until) {
            await log.recordAlone(EVENT);
            count++;
          }
        }),
      );
      return count;
    };

    // The baseline: the same rows with prepared statements, `appenders` entries a commit.
    const raw = new SqliteDatabase(await migratedFile(dir, 'raw.sqlite'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    const s = rawStatements(raw);
    const rawTree = syncTree();
    const writeEntry = () => {
      const idx = rawTree.size;
      const leaf = leafBytes(idx);
      s.entry.run(idx, encodeBase64(leaf), EVENT.clientId, new Date().toISOString());
      for (const user of EVENT.subjects) s.subject.run(user, idx);
      for (const n of rawTree.append(leaf)) s.node.run(n.level, n.idx, n.hash);
      s.state.run(rawTree.size, rawTree.root(), JSON.stringify(rawTree.frontier()));
    };
    const rawBatch = raw.transaction((count: number) => {
      for (let i = 0; i < count; i++) writeEntry();
    });
    const rawUntil = async (until: number) => {
      let count = 0;
      while (performance.now() < until) {
        rawBatch(input.appenders);
        count += input.appenders;
      }
      return count;
    };
    // Warm-up, then measure.
    await appendUntil(performance.now() + 300);
    await rawUntil(performance.now() + 300);
    const syncs0 = subjectStorage.groupCommit?.syncCount;
    const [append, rawInsert] = await alternate(input.seconds, appendUntil, rawUntil);
    const syncs1 = subjectStorage.groupCommit?.syncCount;
    let t0 = performance.now();
    let perEntry = 0;
    while (performance.now() - t0 < 1000) {
      rawBatch(1);
      perEntry++;
    }
    const rawInsertPerEntryCommit = perEntry / ((performance.now() - t0) / 1000);
    raw.close();
    await subjectStorage.close();

    // tlog.proof: the service's inclusion proofs, large log against small.
    t0 = performance.now();
    const large = await buildLog(dir, 'large', input.proofEntries);
    const buildSeconds = (performance.now() - t0) / 1000;
    const small = await buildLog(dir, 'small', 1_000);
    const proofsOf = async (built: { storage: Storage; root: Uint8Array }, size: number) => {
      const service = createTransparencyService({
        storage: built.storage,
        clock: systemClock,
        origin: ORIGIN,
      });
      if ((await service.signPending())?.size !== size) throw new Error(`no checkpoint at ${size}`);
      // The built log is right: proofs of a few leaves lead to its root.
      for (const index of [0, size - 1, Math.floor(size / 3)]) {
        const row = (await built.storage.repos.tlog.entriesInRange(index, index + 1))[0];
        if (!row) throw new Error(`no entry ${index}`);
        const proof = await service.inclusion(index, size);
        await verifyInclusion({
          leafHash: await hashLeaf(decodeBase64(row.leaf)!),
          index,
          treeSize: size,
          proof: proof.hashes.map((h) => decodeBase64(h)!),
          rootHash: built.root,
        });
      }
      return async (until: number) => {
        let count = 0;
        while (performance.now() < until) {
          await service.inclusion(Math.floor(Math.random() * size), size);
          count++;
        }
        return count;
      };
    };
    const proveLarge = await proofsOf(large, input.proofEntries);
    const proveSmall = await proofsOf(small, 1_000);
    await proveLarge(performance.now() + 300);
    await proveSmall(performance.now() + 300);
    const [proofLarge, proofSmall] = await alternate(input.seconds, proveLarge, proveSmall);
    await large.storage.close();
    await small.storage.close();

    return {
      append: {
        perSecond: append.perSecond,
        entries: append.count,
        fsyncs: syncs0 === undefined || syncs1 === undefined ? null : syncs1 - syncs0,
      },
      rawInsert: { perSecond: rawInsert.perSecond, entries: rawInsert.count, batch: input.appenders },
      rawInsertPerEntryCommit,
      proofLarge: { perSecond: proofLarge.perSecond, entries: input.proofEntries },
      proofSmall: { perSecond: proofSmall.perSecond, entries: 1_000 },
      buildSeconds: +buildSeconds.toFixed(1),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
