// Opens the database (SQLite or PostgreSQL), migrates it, and hands out the Kysely instance.
// This module and the repositories are the only code that knows SQL exists.
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type SqliteDialectConfig } from 'kysely';
import { createRequire } from 'node:module';
import type PgModule from 'pg';
import type { DatabaseConfig } from '../config.js';
import { createGroupCommit, type GroupCommit } from './group-commit.js';
import { migrationProvider } from './migrations/index.js';
import { createRepositories, type Repositories } from './repositories/index.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Storage {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Repositories on the database itself, for reads that need no transaction. */
  readonly repos: Repositories;
  /** Runs `work` in one transaction: everything it wrote commits together, or nothing does. */
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  /**
   * Waits until everything written so far is on disk (SQLite: one shared WAL fsync for all
   * waiting callers; PostgreSQL: every commit already is). Transactions wait by themselves.
   */
  durable(): Promise<void>;
  /** SQLite's group commit (its fsync count is read by tests and benchmarks); none on PostgreSQL. */
  readonly groupCommit?: GroupCommit;
  /** Cheap liveness query for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export function openStorage(config: DatabaseConfig): Storage {
  if (config.kind === 'sqlite') {
    fs.mkdirSync(path.dirname(config.file), { recursive: true });
    const sqlite = new SqliteDatabase(config.file);
    // WAL lets readers go on while one writer commits; the busy timeout makes a second
    // process (the CLI beside a running server) wait instead of failing at once.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    // NORMAL writes each commit to the WAL without an fsync; group commit then fsyncs the WAL
    // once for every commit waiting at that moment, before any of them returns — the same
    // promise as FULL (on disk, power loss included: "durable before the response leaves") at
    // one fsync per batch instead of one per commit.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    // An in-memory database (tests) has no file to make durable.
    const group = config.file === ':memory:' ? undefined : createGroupCommit(config.file);
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
      plugins: group ? [group.plugin] : [],
    });
    return wrap(db, 'sqlite', group);
  }
  // Loaded only for PostgreSQL: the driver is ~15 MB of memory an SQLite platform never uses.
  const pg = createRequire(import.meta.url)('pg') as typeof PgModule;
  const pool = new pg.Pool({ connectionString: config.url, max: 10 });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return wrap(db, 'postgres');
}

/** Distinct SQL texts kept prepared (queries with IN lists of varying length make more). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares every statement on every execution; preparing is a good
 * part of a short query's cost. This keeps the most recently used statements prepared
 * (better-sqlite3 statements are reusable), least recently used out first.
 */
function withStatementCache(sqlite: SqliteDatabase.Database): SqliteDialectConfig['database'] {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let statement = cache.get(text);
      if (statement) {
        cache.delete(text);
      } else {
        statement = sqlite.prepare(text);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(text, statement);
      return statement;
    },
  };
}

function wrap(db: Kysely<Database>, dialect: Dialect, group?: GroupCommit): Storage {
  return {
    db,
    dialect,
    repos: createRepositories(db),
    async transaction(work) {
      const result = await db.transaction().execute((trx) => work(createRepositories(trx)));
      await group?.sync();
      return result;
    },
    durable: () => group?.durable() ?? Promise.resolve(),
    ...(group ? { groupCommit: group } : {}),
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
      await group?.close();
    },
  };
}

export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** A unique or primary-key constraint refused the write (a race lost, or a duplicate). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
