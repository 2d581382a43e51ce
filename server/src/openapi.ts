// The OpenAPI 3.1 document, generated from the route schemas. A committed copy lives in
// docs/openapi.json (for SDK generation and review); a test fails when it drifts.
import os from 'node:os';
import path from 'node:path';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { migrateToLatest, openStorage } from './storage/database.js';

export const OPENAPI_FILE = path.resolve(import.meta.dirname, '../../docs/openapi.json');

export async function generateOpenApi(): Promise<string> {
  const config = loadConfig({ PARLEY_DATA_DIR: path.join(os.tmpdir(), 'parley-openapi'), PARLEY_DEMO: '0' });
  const storage = openStorage({ kind: 'sqlite', file: ':memory:' });
  await migrateToLatest(storage.db);
  const app = await buildApp({ config: { ...config, webDist: null }, storage, logger: false });
  await app.ready();
  const document = app.swagger();
  await app.close();
  await storage.close();
  return JSON.stringify(document, null, 2) + '\n';
}
