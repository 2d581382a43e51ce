// PostgreSQL for tests: each test gets a fresh database copied from a migrated template
// (CREATE DATABASE … TEMPLATE), the way Immich's server tests do.
import pg from 'pg';

export const PG_ADMIN_URL = process.env.PARLEY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function urlFor(database: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.href;
}

export async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function isPostgresReachable(): Promise<boolean> {
  try {
    await withAdmin((c) => c.query('select 1'));
    return true;
  } catch {
    return false;
  }
}

/** Whether a missing PostgreSQL (or browser) fails the run instead of skipping. */
export const isRequired = (name: 'PG' | 'BROWSER') =>
  process.env.CI === 'true' || process.env[`PARLEY_REQUIRE_${name}`] === '1';
