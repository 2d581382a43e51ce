// Group commit for SQLite: commits run with synchronous=NORMAL (in the WAL, not yet on disk)
// and whoever needs durability awaits `sync()`, which fsyncs the WAL file; every caller waiting
// at the same time shares one fsync. The promise is the same as synchronous=FULL — on disk,
// power loss included, before the caller goes on — at one fsync per batch instead of one per
// commit. (fsync flushes the file, not the descriptor: our own descriptor of the -wal file
// covers what SQLite's connection wrote to it.)
import fs from 'node:fs/promises';
import path from 'node:path';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryId } from 'kysely';

export interface GroupCommit {
  /** The plugin that counts executed writes (counted after they ran, so a sync started later covers them). */
  readonly plugin: KyselyPlugin;
  /** Resolves once an fsync that began after this call has finished: every write before it is on disk. */
  sync(): Promise<void>;
  /**
   * Waits until every write executed so far (outside transactions: each is its own commit) is
   * on disk, joining an fsync that covers them when one is running. Transactions call `sync()`
   * after their commit instead: their writes count before the commit record exists.
   */
  durable(): Promise<void>;
  /** How many fsyncs ran (for the benchmarks and tests). */
  readonly syncCount: number;
  close(): Promise<void>;
}

const WRITE_NODES = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode']);

export function createGroupCommit(databaseFile: string): GroupCommit {
  const walFile = `${databaseFile}-wal`;
  let handle: Promise<fs.FileHandle> | undefined;
  const writes = new WeakSet<QueryId>();
  let writeSeq = 0;
  let syncedSeq = 0;
  let syncCount = 0;
  let inFlight: Promise<void> | null = null;
  /** The writes the running fsync covers (counted before it began). */
  let inFlightSeq = 0;
  let next: Promise<void> | null = null;

  /** The -wal file, opened once; its directory entry is made durable the first time. */
  async function openWal(): Promise<fs.FileHandle> {
    const file = await fs.open(walFile, 'r+');
    const dir = await fs.open(path.dirname(walFile), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    return file;
  }

  function start(): Promise<void> {
    next = null;
    const seq = writeSeq;
    inFlightSeq = seq;
    inFlight = (async () => {
      handle ??= openWal();
      await (await handle).sync();
      syncCount++;
      syncedSeq = Math.max(syncedSeq, seq);
    })().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  const commit: GroupCommit = {
    plugin: {
      transformQuery(args: PluginTransformQueryArgs) {
        if (WRITE_NODES.has(args.node.kind)) writes.add(args.queryId);
        return args.node;
      },
      async transformResult(args: PluginTransformResultArgs) {
        if (writes.has(args.queryId)) writeSeq++;
        return args.result;
      },
    },
    sync() {
      // An fsync already running may have begun before the caller's commit: wait for the next.
      if (inFlight) return (next ??= inFlight.then(start, start));
      return start();
    },
    durable() {
      if (writeSeq <= syncedSeq) return Promise.resolve();
      if (inFlight && writeSeq <= inFlightSeq) return inFlight;
      return commit.sync();
    },
    get syncCount() {
      return syncCount;
    },
    async close() {
      await inFlight?.catch(() => undefined);
      if (handle) await (await handle).close();
      handle = undefined;
    },
  };
  return commit;
}
