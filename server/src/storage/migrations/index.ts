import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-core.js';

/** Listed here, not read from disk, so the same list works from src/ (tests) and dist/. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-core': m0001,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
