import type { TestProject } from 'vitest/node';
import { migrateToLatest, openStorage } from '../src/storage/database.js';
import { isPostgresReachable, isRequired, urlFor, withAdmin } from './postgres.js';

// One template per run, so two runs on one PostgreSQL server never drop each other's.
const TEMPLATE_DB = `parley_test_template_${process.pid}`;

declare module 'vitest' {
  export interface ProvidedContext {
    postgresTemplate: string | null;
  }
}

/** Migrates the PostgreSQL template once per run, or records that PostgreSQL is absent. */
export default async function setup(project: TestProject) {
  if (!(await isPostgresReachable())) {
    if (isRequired('PG')) throw new Error('PostgreSQL is required (CI) but not reachable on 127.0.0.1:5432');
    console.warn(
      '[parley] PostgreSQL not reachable: the PostgreSQL half of the integration suite is skipped.',
    );
    project.provide('postgresTemplate', null);
    return;
  }
  await withAdmin(async (client) => {
    await client.query(`drop database if exists ${TEMPLATE_DB} with (force)`);
    await client.query(`create database ${TEMPLATE_DB}`);
  });
  const storage = openStorage({ kind: 'postgres', url: urlFor(TEMPLATE_DB) });
  await migrateToLatest(storage.db);
  await storage.close();
  project.provide('postgresTemplate', TEMPLATE_DB);
  return async () => {
    await withAdmin((client) => client.query(`drop database if exists ${TEMPLATE_DB} with (force)`));
  };
}
