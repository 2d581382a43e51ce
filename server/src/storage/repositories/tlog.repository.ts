import type { Kysely } from 'kysely';
import type { Database, TlogCheckpointsTable, TlogEntriesTable } from '../schema.js';
import { prepared } from '../prepared.js';

export interface TlogState {
  size: number;
  root: string;
  frontier: string[];
}

export interface TlogEntryRow {
  idx: number;
  leaf: string;
  client_id: string | null;
  created_at: string;
}

/**
 * Slices of `max` (a power of two) and then of halving lengths: 13 rows go as 8 + 4 + 1. A batch
 * of any size then uses one of a few statement texts per table, which stay prepared, where
 * one text per batch size would crowd the statement cache and be prepared again and again.
 * `max` also keeps a statement under SQLite's limit of bound parameters.
 */
export function* powerOfTwoChunks<T>(items: readonly T[], max: number): Generator<T[]> {
  let start = 0;
  for (let size = max; size >= 1; size /= 2) {
    // Below `max`, at most once per size: what is left is less than twice the size.
    while (items.length - start >= size) {
      yield items.slice(start, start + size);
      start += size;
    }
  }
}

const entry = (row: TlogEntriesTable): TlogEntryRow => ({ ...row, idx: Number(row.idx) });

// The two statements of every append, compiled once.
const stateLock = prepared((db: Kysely<Database>) =>
  db
    .updateTable('tlog_state')
    .set((eb) => ({ size: eb.ref('size') }))
    .where('id', '=', 0)
    .returningAll(),
);
const stateUpdate = prepared((db: Kysely<Database>, size: number, root: string, frontier: string) =>
  db.updateTable('tlog_state').set({ size, root, frontier }).where('id', '=', 0),
);

/** The transparency log's rows. Hashes and leaves are base64 text, the same in both dialects. */
export function createTlogRepository(db: Kysely<Database>) {
  return {
    /**
     * The state, locked for this transaction: a no-op UPDATE takes the row lock in PostgreSQL and
     * the write lock in SQLite, so appends are serialised and indexes have no gaps.
     */
    async lockState(): Promise<TlogState> {
      // RETURNING reads the state in the same statement that takes the lock.
      const [row] = (await stateLock(db)).rows;
      if (!row) throw new Error('the transparency log has no state row');
      return { size: Number(row.size), root: row.root, frontier: JSON.parse(row.frontier) as string[] };
    },
    async state(): Promise<TlogState> {
      const row = await db.selectFrom('tlog_state').selectAll().where('id', '=', 0).executeTakeFirstOrThrow();
      return { size: Number(row.size), root: row.root, frontier: JSON.parse(row.frontier) as string[] };
    },
    async putState(state: TlogState): Promise<void> {
      await stateUpdate(db, state.size, state.root, JSON.stringify(state.frontier));
    },
    /** Entries with their data subjects and the nodes they complete, as multi-row inserts. */
    async insertEntries(
      entries: readonly { row: TlogEntryRow; subjects: readonly string[] }[],
      nodes: readonly { level: number; idx: number; hash: string }[],
    ) {
      const subjects = entries.flatMap((e) => e.subjects.map((user_id) => ({ user_id, idx: e.row.idx })));
      for (const chunk of powerOfTwoChunks(entries, 128))
        await db
          .insertInto('tlog_entries')
          .values(chunk.map((e) => e.row))
          .execute();
      for (const chunk of powerOfTwoChunks(subjects, 256))
        await db.insertInto('tlog_subjects').values(chunk).execute();
      for (const chunk of powerOfTwoChunks(nodes, 256))
        await db.insertInto('tlog_nodes').values(chunk).execute();
    },
    /** Many entries and their nodes at once (bulk loading, e.g. the scale benchmark), in chunks SQLite accepts. */
    async insertBatch(
      rows: readonly TlogEntryRow[],
      nodes: readonly { level: number; idx: number; hash: string }[],
    ) {
      for (let i = 0; i < rows.length; i += 500)
        await db
          .insertInto('tlog_entries')
          .values(rows.slice(i, i + 500))
          .execute();
      for (let i = 0; i < nodes.length; i += 1000)
        await db
          .insertInto('tlog_nodes')
          .values(nodes.slice(i, i + 1000))
          .execute();
    },
    /** Node hashes in the order asked (a proof's O(log n) perfect nodes, one query). */
    async nodeHashes(ids: readonly { level: number; index: number }[]): Promise<(string | undefined)[]> {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('tlog_nodes')
        .select(['level', 'idx', 'hash'])
        .where((eb) => eb.or(ids.map((id) => eb.and([eb('level', '=', id.level), eb('idx', '=', id.index)]))))
        .execute();
      const byId = new Map(rows.map((r) => [`${r.level}:${Number(r.idx)}`, r.hash]));
      return ids.map((id) => byId.get(`${id.level}:${id.index}`));
    },
    async entriesAbout(
      userId: string,
      options: { clientId?: string; before?: number; limit: number },
    ): Promise<TlogEntryRow[]> {
      let query = db
        .selectFrom('tlog_subjects')
        .innerJoin('tlog_entries', 'tlog_entries.idx', 'tlog_subjects.idx')
        .selectAll('tlog_entries')
        .where('tlog_subjects.user_id', '=', userId);
      if (options.clientId) query = query.where('tlog_entries.client_id', '=', options.clientId);
      if (options.before !== undefined) query = query.where('tlog_entries.idx', '<', options.before);
      const rows = await query.orderBy('tlog_entries.idx', 'desc').limit(options.limit).execute();
      return rows.map(entry);
    },
    async entriesOfApp(
      clientId: string,
      options: { before?: number; limit: number },
    ): Promise<TlogEntryRow[]> {
      let query = db.selectFrom('tlog_entries').selectAll().where('client_id', '=', clientId);
      if (options.before !== undefined) query = query.where('idx', '<', options.before);
      return (await query.orderBy('idx', 'desc').limit(options.limit).execute()).map(entry);
    },
    async entriesInRange(from: number, to: number): Promise<TlogEntryRow[]> {
      const rows = await db
        .selectFrom('tlog_entries')
        .selectAll()
        .where('idx', '>=', from)
        .where('idx', '<', to)
        .orderBy('idx')
        .execute();
      return rows.map(entry);
    },
    async latestCheckpoint(): Promise<(TlogCheckpointsTable & { size: number }) | undefined> {
      const row = await db
        .selectFrom('tlog_checkpoints')
        .selectAll()
        .orderBy('size', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row && { ...row, size: Number(row.size) };
    },
    async allCheckpoints(): Promise<(TlogCheckpointsTable & { size: number })[]> {
      const rows = await db.selectFrom('tlog_checkpoints').selectAll().orderBy('size').execute();
      return rows.map((r) => ({ ...r, size: Number(r.size) }));
    },
    async insertCheckpoint(row: {
      size: number;
      root: string;
      note: string;
      signed_at: string;
    }): Promise<void> {
      await db
        .insertInto('tlog_checkpoints')
        .values(row)
        .onConflict((oc) => oc.column('size').doNothing())
        .execute();
    },
  };
}
