// Starts the real platform on a real, fresh database for each test: SQLite in a temporary
// folder, or a PostgreSQL database copied from the migrated template.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import type { Clock } from '../src/lib/clock.js';
import { createPasswordHasher } from '../src/lib/password.js';
import type { App } from '../src/http/types.js';
import { migrateToLatest, openStorage, type Dialect, type Storage } from '../src/storage/database.js';
import { urlFor, withAdmin } from './postgres.js';

export const TEST_ORIGIN = 'http://localhost:8080';

/** Each test app's own public origin (PUBLIC_URL may be set per test). */
const origins = new WeakMap<App, string>();

/** The dialects this run covers: SQLite always, PostgreSQL when global setup found it. */
export function dialects(): Dialect[] {
  return inject('postgresTemplate') ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A clock tests can move. */
export function manualClock(start = new Date('2026-01-01T00:00:00Z')) {
  let now = start.getTime();
  const clock: Clock & { advance(ms: number): void } = {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
  };
  return clock;
}

export interface TestApp {
  app: App;
  storage: Storage;
  config: Config;
  close(): Promise<void>;
}

export async function startApp(
  dialect: Dialect,
  options: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const name = `parley_t_${randomBytes(6).toString('hex')}`;
  let cleanup: () => Promise<void>;
  let storage: Storage;
  let config: Config;
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-test-'));
    config = loadConfig({ PARLEY_DATA_DIR: dir, PARLEY_DEMO: '0', ...options.env });
    storage = openStorage(config.database);
    await migrateToLatest(storage.db);
    cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const template = inject('postgresTemplate');
    if (!template) throw new Error('PostgreSQL is not available in this run');
    await withAdmin((c) => c.query(`create database ${name} template ${template}`));
    config = loadConfig({ DATABASE_URL: urlFor(name), PARLEY_DEMO: '0', ...options.env });
    storage = openStorage(config.database);
    cleanup = async () => {
      await withAdmin((c) => c.query(`drop database if exists ${name} with (force)`));
    };
  }
  const app = await buildApp({
    config: { ...config, webDist: null },
    storage,
    logger: false,
    // Cheap hashing keeps tests quick; production strength is tested in password.test.ts.
    passwords: createPasswordHasher(10, 1),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await app.ready();
  origins.set(app, config.publicOrigin);
  return {
    app,
    storage,
    config,
    async close() {
      await app.close();
      await storage.close();
      await cleanup();
    },
  };
}

export interface Person {
  id: string;
  username: string;
  displayName: string;
  cookie: string;
}

type Method = 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';

/** A first-party client: the session cookie and a same-origin Origin on every request. */
export function client(app: App, cookie?: string) {
  const send = (method: Method, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method,
      url,
      headers: {
        origin: origins.get(app) ?? TEST_ORIGIN,
        ...(cookie ? { cookie } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  return {
    get: (url: string, headers?: Record<string, string>) => send('GET', url, undefined, headers),
    post: (url: string, body?: unknown, headers?: Record<string, string>) => send('POST', url, body, headers),
    patch: (url: string, body?: unknown, headers?: Record<string, string>) =>
      send('PATCH', url, body, headers),
    delete: (url: string, headers?: Record<string, string>) => send('DELETE', url, undefined, headers),
  };
}

export function sessionCookie(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === 'parley_session');
  if (!cookie) throw new Error(`no session cookie in ${response.statusCode} ${response.body}`);
  return `parley_session=${cookie.value}`;
}

export async function signup(
  app: App,
  username: string,
  displayName = username[0]!.toUpperCase() + username.slice(1),
): Promise<Person> {
  const response = await client(app).post('/api/auth/signup', {
    username,
    displayName,
    password: 'correct horse battery',
  });
  if (response.statusCode !== 201)
    throw new Error(`signup ${username}: ${response.statusCode} ${response.body}`);
  const user = response.json<{ id: string }>();
  return { id: user.id, username, displayName, cookie: sessionCookie(response) };
}

/** Signs several people up at once, typed as a tuple. */
export async function signupAll<const Names extends readonly string[]>(
  app: App,
  ...names: Names
): Promise<{ [K in keyof Names]: Person }> {
  return (await Promise.all(names.map((name) => signup(app, name)))) as { [K in keyof Names]: Person };
}

export async function befriend(app: App, a: Person, b: Person): Promise<void> {
  const request = await client(app, a.cookie).post('/api/friends/requests', { username: b.username });
  if (request.statusCode !== 201) throw new Error(`request: ${request.statusCode} ${request.body}`);
  const accept = await client(app, b.cookie).post(
    `/api/friends/requests/${request.json<{ id: string }>().id}/accept`,
  );
  if (accept.statusCode !== 200) throw new Error(`accept: ${accept.statusCode} ${accept.body}`);
}

/** Counts rows in every table: "nothing changed" is the same counts before and after. */
export async function rowCounts(storage: Storage): Promise<Record<string, number>> {
  const tables = [
    'users',
    'sessions',
    'friend_requests',
    'friendships',
    'threads',
    'thread_members',
    'messages',
  ] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await storage.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}
