// The partner API checks access tokens itself, in one query (oauth/access-token.ts): here its
// answers are held to the library's own (AccessToken.find) as tokens are bound to a provider
// session, outlive it, expire, or carry what Parley never issues — on both databases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashId } from '../src/oauth/adapter.js';
import { dialects, signupAll, type Person } from './harness.js';
import {
  connectApp,
  partnerCall,
  registerApp,
  startLiveApp,
  type LiveApp,
  type RegisteredApp,
} from './oauth-harness.js';

describe.each(dialects())('access tokens on %s', (dialect) => {
  let t: LiveApp;
  let ann: Person;
  let tunes: RegisteredApp;

  beforeEach(async () => {
    t = await startLiveApp(dialect);
    let dev: Person;
    [dev, ann] = await signupAll(t.app, 'dev', 'ann');
    tunes = await registerApp(t, dev, [
      { scope: 'openid', required: true },
      { scope: 'profile' },
      { scope: 'offline_access' },
    ]);
  });
  afterEach(() => t.close());

  const tokenRow = (token: string) =>
    t.storage.db
      .selectFrom('oidc_payloads')
      .selectAll()
      .where('model', '=', 'AccessToken')
      .where('id', '=', hashId(token))
      .executeTakeFirstOrThrow();

  /** The partner API's answer and the library's, side by side. */
  async function verdicts(token: string): Promise<{ api: number; library: boolean }> {
    const response = await partnerCall(t, token, 'GET', '/me');
    await response.arrayBuffer();
    const found = await t.app.oauthProvider.AccessToken.find(token);
    return { api: response.status, library: found !== undefined };
  }

  const endProviderSessions = () =>
    t.storage.db.deleteFrom('oidc_payloads').where('model', '=', 'Session').execute();

  async function rewritePayload(token: string, change: (payload: Record<string, unknown>) => void) {
    const row = await tokenRow(token);
    const payload = JSON.parse(row.payload) as Record<string, unknown>;
    change(payload);
    await t.storage.db
      .updateTable('oidc_payloads')
      .set({ payload: JSON.stringify(payload) })
      .where('model', '=', 'AccessToken')
      .where('id', '=', row.id)
      .execute();
  }

  it('a token without offline_access lives as long as the provider session that issued it', async () => {
    const { access_token: token } = await connectApp(t, tunes, ann, ['openid', 'profile']);
    const row = await tokenRow(token);
    expect(row.session_uid).toEqual(expect.any(String));
    expect(await verdicts(token)).toEqual({ api: 200, library: true });

    await endProviderSessions();
    expect(await verdicts(token)).toEqual({ api: 401, library: false });
  });

  it('a token with offline_access outlives the provider session', async () => {
    const { access_token: token } = await connectApp(t, tunes, ann, ['openid', 'profile', 'offline_access']);
    await endProviderSessions();
    expect(await verdicts(token)).toEqual({ api: 200, library: true });
  });

  it('rows written before the session column still find their session', async () => {
    const { access_token: token } = await connectApp(t, tunes, ann, ['openid', 'profile']);
    await t.storage.db
      .updateTable('oidc_payloads')
      .set({ session_uid: null })
      .where('id', '=', hashId(token))
      .execute();
    expect(await verdicts(token)).toEqual({ api: 200, library: true });
    await endProviderSessions();
    expect(await verdicts(token)).toEqual({ api: 401, library: false });
  });

  it('a session that now holds another grant for the app no longer backs the token', async () => {
    const { access_token: token } = await connectApp(t, tunes, ann, ['openid', 'profile']);
    const session = await t.storage.db
      .selectFrom('oidc_payloads')
      .selectAll()
      .where('model', '=', 'Session')
      .executeTakeFirstOrThrow();
    const payload = JSON.parse(session.payload) as { authorizations: Record<string, { grantId: string }> };
    payload.authorizations[tunes.clientId]!.grantId = 'another-grant';
    await t.storage.db
      .updateTable('oidc_payloads')
      .set({ payload: JSON.stringify(payload) })
      .where('model', '=', 'Session')
      .where('id', '=', session.id)
      .execute();
    expect(await verdicts(token)).toEqual({ api: 401, library: false });
  });

  it('expiry counts with the same tolerance as the library', async () => {
    const { access_token: token } = await connectApp(t, tunes, ann, ['openid', 'profile', 'offline_access']);
    const now = Math.floor(Date.now() / 1000);
    // Within the 15 s tolerance: still accepted by both.
    await rewritePayload(token, (p) => (p.exp = now - 5));
    expect(await verdicts(token)).toEqual({ api: 200, library: true });
    await rewritePayload(token, (p) => (p.exp = now - 60));
    expect(await verdicts(token)).toEqual({ api: 401, library: false });
  });

  it('refuses what Parley never issues: sender-constrained or non-opaque tokens', async () => {
    const { access_token: token } = await connectApp(t, tunes, ann, ['openid', 'profile', 'offline_access']);
    await rewritePayload(token, (p) => (p.jkt = 'thumbprint'));
    expect((await verdicts(token)).api).toBe(401);
    await rewritePayload(token, (p) => {
      delete p.jkt;
      p.format = 'jwt';
    });
    expect(await verdicts(token)).toEqual({ api: 401, library: false });
  });
});
