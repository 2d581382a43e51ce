// How the transparency log behaves at 1,000,000 entries, on SQLite with durable commits:
// builds the log in batches (the same tree code and tables as the server), then measures, side by
// side, single-entry appends (the request path: one transaction and one fsync each) and inclusion
// proofs at 1,000 and at N entries. Usage: npx tsx --conditions=parley-source bench/tlog-scale.ts [N]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CompactTree, encodeBase64, hashLeaf } from '@parley/tlog';
import { systemClock } from '../server/src/lib/clock.js';
import { createTransparencyService } from '../server/src/services/transparency.service.js';
import { migrateToLatest, openStorage } from '../server/src/storage/database.js';

const N = Number(process.argv[2] ?? 1_000_000);
const BATCH = 2_000;

async function buildLog(size: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-tlog-bench-'));
  const storage = openStorage({ kind: 'sqlite', file: path.join(dir, 'bench.sqlite') });
  await migrateToLatest(storage.db);
  const tree = CompactTree.empty();
  const started = performance.now();
  for (let from = 0; from < size; from += BATCH) {
    const count = Math.min(BATCH, size - from);
    const leaves = Array.from({ length: count }, (_, i) =>
      new TextEncoder().encode(`{"action":"app_thread.read","i":${from + i},"v":1}`),
    );
    const { nodes } = await tree.appendAll(await Promise.all(leaves.map((leaf) => hashLeaf(leaf))));
    const root = encodeBase64(await tree.root());
    await storage.transaction(async (repos) => {
      await repos.tlog.insertBatch(
        leaves.map((leaf, i) => ({
          idx: from + i,
          leaf: encodeBase64(leaf),
          client_id: 'app_bench',
          created_at: '2026-01-01T00:00:00.000Z',
        })),
        nodes.map((n) => ({ level: n.level, idx: n.index, hash: encodeBase64(n.hash) })),
      );
      await repos.tlog.putState({ size: tree.size, root, frontier: tree.frontier().map(encodeBase64) });
    });
  }
  return { storage, dir, buildSeconds: (performance.now() - started) / 1000 };
}

async function measure(storage: ReturnType<typeof openStorage>, size: number) {
  const log = createTransparencyService({
    storage,
    clock: systemClock,
    origin: 'bench.example/transparency',
  });
  await log.signPending();
  const event = {
    clientId: 'app_bench',
    grantId: 'g',
    actorId: 'u1',
    action: 'app_thread.read',
    resources: { threadIds: ['t'] },
    subjects: ['u1'],
  };
  const APPENDS = 500;
  let t0 = performance.now();
  for (let i = 0; i < APPENDS; i++) await storage.transaction((repos) => log.record(repos, event));
  const appendsPerSecond = APPENDS / ((performance.now() - t0) / 1000);
  await log.signPending();
  const PROOFS = 2_000;
  t0 = performance.now();
  for (let i = 0; i < PROOFS; i++) await log.inclusion(Math.floor(Math.random() * size), size);
  const proofMs = (performance.now() - t0) / PROOFS;
  return {
    appendsPerSecond: Math.round(appendsPerSecond),
    proofsPerSecond: Math.round(1000 / proofMs),
    proofMs: +proofMs.toFixed(3),
  };
}

const small = await buildLog(1_000);
const baseline = await measure(small.storage, 1_000);
const large = await buildLog(N);
const atN = await measure(large.storage, N);
console.log(
  JSON.stringify(
    {
      entries: N,
      buildSeconds: +large.buildSeconds.toFixed(1),
      at1000: baseline,
      atN,
      proofRatio: +(atN.proofsPerSecond / baseline.proofsPerSecond).toFixed(2),
      appendRatio: +(atN.appendsPerSecond / baseline.appendsPerSecond).toFixed(2),
    },
    null,
    2,
  ),
);
for (const { storage, dir } of [small, large]) {
  await storage.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
