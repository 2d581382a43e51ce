import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-core.js';
import * as m0002 from './0002-partners.js';
import * as m0003 from './0003-webhooks.js';
import * as m0004 from './0004-transparency-log.js';
import * as m0005 from './0005-webhook-events.js';
import * as m0006 from './0006-token-session.js';

/** Listed here, not read from disk, so the same list works from src/ (tests) and dist/. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-core': m0001,
  '0002-partners': m0002,
  '0003-webhooks': m0003,
  '0004-transparency-log': m0004,
  '0005-webhook-events': m0005,
  '0006-token-session': m0006,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
