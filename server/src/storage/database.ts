// Opens the database (SQLite or PostgreSQL), migrates it, and hands out the Kysely instance.
// This module and the repositories are the only code that knows SQL exists.
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
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
    // FULL: a commit is on disk before it returns, even across power loss (under WAL, NORMAL
    // survives process crashes only). The log promises "durable before the response leaves".
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return wrap(db, 'sqlite');
  }
  const pool = new pg.Pool({ connectionString: config.url, max: 10 });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return wrap(db, 'postgres');
}

function wrap(db: Kysely<Database>, dialect: Dialect): Storage {
  return {
    db,
    dialect,
    repos: createRepositories(db),
    transaction: (work) => db.transaction().execute((trx) => work(createRepositories(trx))),
    async ping() {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
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
