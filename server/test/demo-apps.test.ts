// The demo partner apps: registered once by the demo developer like any app, moved to this
// run's ports on every start, and their credentials written for the launcher only.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serviceDepsOf } from '../src/app.js';
import { createAuthService } from '../src/services/auth.service.js';
import { DEMO_APPS_FILE, ensureDemoApps, type DemoApps } from '../src/services/demo-apps.js';
import { createDeveloperService } from '../src/services/developer.service.js';
import { startApp, type TestApp } from './harness.js';

describe('the demo apps Tunes and Flicks', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp('sqlite');
  });
  afterEach(() => t.close());

  const ensure = (port: number) => {
    const config = { ...t.config, port, publicUrl: `http://localhost:${port}` };
    const deps = { ...serviceDepsOf({ config, storage: t.storage }), config };
    return ensureDemoApps(deps, { auth: createAuthService(deps), developer: createDeveloperService(deps) });
  };

  it('registers each once, follows the port, and writes the credentials file for the launcher', async () => {
    const first = await ensure(8080);
    expect(first.tunes).toMatchObject({ name: 'Tunes', url: 'http://localhost:8081', port: 8081 });
    expect(first.flicks).toMatchObject({ name: 'Flicks', url: 'http://localhost:8082', port: 8082 });
    const file = path.join(t.config.dataDir, DEMO_APPS_FILE);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(first);
    expect(fs.statSync(file).mode & 0o077).toBe(0);

    const moved = await ensure(9000);
    expect(moved.tunes.clientId).toBe(first.tunes.clientId);
    expect(moved.tunes.clientSecret).toBe(first.tunes.clientSecret);
    expect(moved.flicks.clientId).toBe(first.flicks.clientId);
    const tunes = await t.storage.repos.apps.find(moved.tunes.clientId);
    expect(JSON.parse(tunes!.redirect_uris)).toEqual(['http://localhost:9001/callback']);
    expect(tunes!.webhook_url).toBe('http://localhost:9001/webhooks/parley');
    expect(JSON.parse(tunes!.webhook_events)).toEqual(['grant.revoked', 'grant.expired']);
    // Moving does not ask anyone to consent again.
    expect(tunes!.consent_version).toBe(1);
    expect(await t.storage.repos.apps.listByOwner(tunes!.owner_id)).toHaveLength(2);
  });

  it('asks only for what each app needs: Flicks can send and never read', async () => {
    const apps: DemoApps = await ensure(8080);
    const scopes = async (clientId: string) =>
      (await t.storage.repos.apps.scopesOf(clientId)).map((s) => [s.scope, s.is_required === 1]).sort();
    expect(await scopes(apps.flicks.clientId)).toEqual([
      ['messages.send', true],
      ['openid', true],
      ['profile', true],
    ]);
    expect(await scopes(apps.tunes.clientId)).toEqual([
      ['friends.read', true],
      ['messages.read', true],
      ['messages.send', true],
      ['offline_access', false],
      ['openid', true],
      ['profile', true],
    ]);
  });
});
