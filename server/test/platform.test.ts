import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { generateOpenApi, OPENAPI_FILE } from '../src/openapi.js';
import { ACTIONS, APP_ACTIONS } from '../src/policy/authorize.js';
import { SCOPES } from '../src/policy/scopes.js';
import { migrateToLatest, openStorage } from '../src/storage/database.js';
import { client, signup, startApp, type TestApp } from './harness.js';

describe('the route table', () => {
  it('declares a policy action (or public) for every route, and public routes touch no personal data', async () => {
    const storage = openStorage({ kind: 'sqlite', file: ':memory:' });
    await migrateToLatest(storage.db);
    const app = await buildApp({
      config: { ...loadConfig({ PARLEY_DEMO: '0' }), webDist: null },
      storage,
      logger: false,
    });
    await app.ready();
    const routes = app.routeTable;
    await app.close();
    await storage.close();

    const ours = routes.filter(
      (r) =>
        /^\/(api|v1|consent)\//.test(r.url) ||
        ['/healthz', '/readyz', '/metrics', '/.well-known/openid-configuration'].includes(r.url),
    );
    expect(ours.length).toBeGreaterThanOrEqual(20);
    const publicRoutes = new Set([
      '/api/auth/signup',
      '/api/auth/login',
      '/api/auth/logout',
      '/api/scopes',
      '/api/share/apps/:clientId',
      // Reads the session itself if present; the person's own conversations go through authorize.
      '/consent/:uid/details',
      '/consent/:uid/deny',
      '/.well-known/openid-configuration',
      '/v1/transparency/checkpoint',
      '/v1/transparency/key',
      '/v1/transparency/proof/inclusion',
      '/v1/transparency/proof/consistency',
      '/healthz',
      '/readyz',
      '/metrics',
    ]);
    for (const route of ours) {
      const action = route.config?.action;
      expect(action, `${String(route.method)} ${route.url} declares no action`).toBeDefined();
      if (action === 'public') expect(publicRoutes, `${route.url} is public`).toContain(route.url);
      else expect(ACTIONS).toContain(action);
      // Partner routes take bearer tokens and only app actions; first-party routes never do.
      // (The transparency log's heads and proofs are public: anyone verifies; an app's own
      // entries are read with its token.)
      const isPartner =
        route.url.startsWith('/v1/') &&
        (!route.url.startsWith('/v1/transparency/') || route.url.startsWith('/v1/transparency/entries/'));
      expect(route.config?.auth === 'bearer', `${route.url} auth`).toBe(isPartner);
      if (isPartner) expect(APP_ACTIONS, route.url).toContain(action);
    }
  });

  it('matches the committed OpenAPI document (run `npm run openapi` after changing a route)', async () => {
    const committed = fs.readFileSync(OPENAPI_FILE, 'utf8');
    expect(await generateOpenApi()).toBe(committed);
    const document = JSON.parse(committed) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toBe('3.1.0');
    // The docs read the one scope catalogue.
    const scheme = (
      document as unknown as {
        components: {
          securitySchemes: { oauth2: { flows: { authorizationCode: { scopes: Record<string, string> } } } };
        };
      }
    ).components.securitySchemes.oauth2;
    expect(Object.keys(scheme.flows.authorizationCode.scopes)).toEqual(Object.keys(SCOPES));
    expect(scheme.flows.authorizationCode.scopes['messages.read']).toContain(
      SCOPES['messages.read'].cannot[0],
    );
    for (const p of [
      '/api/auth/signup',
      '/api/threads/{id}/messages',
      '/api/friends/requests/{id}/accept',
      '/api/messages/{id}',
    ]) {
      expect(Object.keys(document.paths)).toContain(p);
    }
  });
});

describe('operations', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp('sqlite');
  });
  afterEach(() => t.close());

  it('answers /healthz and /readyz, and /readyz fails when the database is gone', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject('/readyz')).statusCode).toBe(200);
    await t.storage.close();
    const down = await t.app.inject('/readyz');
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ code: 'service_unavailable' });
  });

  it('exposes Prometheus metrics with request counts by route', async () => {
    await signup(t.app, 'mia');
    const metrics = await t.app.inject('/metrics');
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.body).toMatch(
      /parley_http_requests_total\{method="POST",route="\/api\/auth\/signup",status="201"\} 1/,
    );
    expect(metrics.body).toContain('parley_process_resident_memory_bytes');
    expect(metrics.body).toContain('parley_live_connections 0');
  });

  it('tags every response with a request id, keeping one the caller sent', async () => {
    const generated = await t.app.inject('/healthz');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const given = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'trace-123' } });
    expect(given.headers['x-request-id']).toBe('trace-123');
  });

  it('serves the API documentation at /docs', async () => {
    const docs = await t.app.inject('/docs/json');
    expect(docs.statusCode).toBe(200);
    expect(docs.json()).toMatchObject({ openapi: '3.1.0', info: { title: 'Parley API' } });
    const ui = await t.app.inject('/docs/');
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
  });

  it('refuses state changes in the JSON API from a page on another origin even with a valid session', async () => {
    const mia = await signup(t.app, 'mia');
    const response = await client(t.app, mia.cookie).post('/api/auth/logout', undefined, {
      origin: 'http://localhost:8081',
    });
    expect(response.statusCode).toBe(403);
    expect((await client(t.app, mia.cookie).get('/api/me')).statusCode).toBe(200);
  });
});

describe('the web app', () => {
  it('is served at / with the index page for client-side routes, but never for API paths', async () => {
    const webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-web-'));
    fs.writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>Parley</title>');
    fs.writeFileSync(path.join(webDist, 'app.js'), 'console.log(1)');
    const storage = openStorage({ kind: 'sqlite', file: ':memory:' });
    await migrateToLatest(storage.db);
    const app = await buildApp({
      config: { ...loadConfig({ PARLEY_DEMO: '0' }), webDist },
      storage,
      logger: false,
    });
    try {
      for (const url of ['/', '/friends', '/t/0190a000-0000-7000-8000-000000000000']) {
        const page = await app.inject(url);
        expect(page.statusCode, url).toBe(200);
        expect(page.body).toContain('<title>Parley</title>');
      }
      expect((await app.inject('/app.js')).body).toBe('console.log(1)');
      // A stale asset name after a rebuild is a plain 404, not the index page.
      expect((await app.inject('/assets/index-old.js')).statusCode).toBe(404);
      const api = await app.inject('/api/unknown');
      expect(api.statusCode).toBe(404);
      expect(api.headers['content-type']).toMatch(/problem\+json/);
    } finally {
      await app.close();
      await storage.close();
      fs.rmSync(webDist, { recursive: true, force: true });
    }
  });
});
