// The whole partner flow with a real OAuth client library (oauth4webapi), on both databases:
// registration, consent, code + PKCE, the partner API, refresh rotation, revocation.
import * as oauth from 'oauth4webapi';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dialects, signupAll, type Person } from './harness.js';
import {
  consent,
  partner,
  registerApp,
  startLiveApp,
  type LiveApp,
  type RegisteredApp,
} from './oauth-harness.js';

describe.each(dialects())('OAuth and the partner API on %s', (dialect) => {
  let t: LiveApp;
  let dev: Person;
  let ann: Person;
  let tunes: RegisteredApp;
  beforeEach(async () => {
    t = await startLiveApp(dialect);
    [dev, ann] = await signupAll(t.app, 'dev', 'ann');
    tunes = await registerApp(t, dev, [
      { scope: 'openid', required: true },
      { scope: 'profile' },
      { scope: 'offline_access' },
      { scope: 'messages.send' },
    ]);
  });
  afterEach(() => t.close());

  const v1 = (token: string, path: string) =>
    fetch(`${t.baseUrl}/v1${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('publishes discovery at /oauth and at the root, code flow only, PKCE S256', async () => {
    const root = await fetch(`${t.baseUrl}/.well-known/openid-configuration`);
    const mounted = await fetch(`${t.baseUrl}/oauth/.well-known/openid-configuration`);
    const document = (await mounted.json()) as Record<string, unknown>;
    expect(await root.json()).toEqual(document);
    expect(document).toMatchObject({
      issuer: `${t.baseUrl}/oauth`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      authorization_details_types_supported: ['parley_thread'],
    });
    expect(document.introspection_endpoint).toBeDefined();
    expect(document.revocation_endpoint).toBeDefined();
  });

  it('grants only what was ticked, and the partner sees exactly that', async () => {
    const p = await partner(t, tunes);
    const { url, codeVerifier, state } = await p.authorizationUrl(
      'openid profile offline_access messages.send',
    );
    const { callbackUrl, details } = await consent(t, ann, url, {
      scopes: ['openid', 'offline_access', 'messages.send'],
    });
    expect(details).toMatchObject({
      app: { name: 'Tunes', developer: { username: 'dev' } },
      person: { id: ann.id },
    });
    expect(
      (details!.scopes as { scope: string; required: boolean }[]).map((s) => [s.scope, s.required]),
    ).toEqual([
      ['openid', true],
      ['profile', false],
      ['offline_access', false],
      ['messages.send', false],
    ]);

    const tokens = await p.exchange(callbackUrl, codeVerifier, state);
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBeLessThanOrEqual(3600);
    expect(tokens.refresh_token).toBeDefined();
    // The access token is for the partner API and lists its API scopes; openid brought an ID token.
    expect(tokens.scope).toBe('messages.send');
    expect(tokens.id_token).toBeDefined();

    const me = await v1(tokens.access_token, '/me');
    expect(me.status).toBe(200);
    // profile was unticked: no username or display name.
    expect(await me.json()).toEqual({ id: ann.id });

    const permissions = (await (await v1(tokens.access_token, '/me/permissions')).json()) as {
      scopes: { scope: string; can: string[] }[];
      threads: unknown[];
    };
    expect(permissions.scopes.map((s) => s.scope).sort()).toEqual([
      'messages.send',
      'offline_access',
      'openid',
    ]);
    expect(permissions.scopes.find((s) => s.scope === 'messages.send')?.can[0]).toMatch(/Send a message/);
    expect(permissions.threads).toEqual([]);
  });

  it('rotates refresh tokens, and reuse of an old one revokes the grant (RFC 9700 §4.14.2)', async () => {
    const p = await partner(t, tunes);
    const { url, codeVerifier, state } = await p.authorizationUrl('openid offline_access messages.send');
    const { callbackUrl } = await consent(t, ann, url, {
      scopes: ['openid', 'offline_access', 'messages.send'],
    });
    const first = await p.exchange(callbackUrl, codeVerifier, state);
    const second = await p.refresh(first.refresh_token!);
    expect(second.refresh_token).toBeDefined();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await v1(second.access_token, '/me')).status).toBe(200);

    // The old refresh token again: refused, and the whole grant goes with it.
    await expect(p.refresh(first.refresh_token!)).rejects.toThrow();
    expect((await v1(second.access_token, '/me')).status).toBe(401);
    await expect(p.refresh(second.refresh_token!)).rejects.toThrow();
  });

  it('does not ask a person who already consented again, even from a new browser, until they revoke', async () => {
    const p = await partner(t, tunes);
    const first = await p.authorizationUrl('openid messages.send');
    await p.exchange(
      (await consent(t, ann, first.url, { scopes: ['openid', 'messages.send'] })).callbackUrl,
      first.codeVerifier,
      first.state,
    );

    // A new browser: only the Parley session cookie, no provider session remembering the grant.
    const again = await p.authorizationUrl('openid messages.send');
    const returning = await consent(t, ann, again.url, { scopes: ['openid', 'messages.send'] });
    expect(returning.details).toBeNull();
    const tokens = await p.exchange(returning.callbackUrl, again.codeVerifier, again.state);
    expect((await v1(tokens.access_token, '/me')).status).toBe(200);
    const apps = await fetch(`${t.baseUrl}/api/apps`, { headers: { cookie: ann.cookie } });
    expect(((await apps.json()) as { items: unknown[] }).items).toHaveLength(1);

    await fetch(`${t.baseUrl}/api/apps/${tunes.clientId}`, {
      method: 'DELETE',
      headers: { cookie: ann.cookie, origin: t.baseUrl },
    });
    const afterRevoke = await p.authorizationUrl('openid messages.send');
    const asked = await consent(t, ann, afterRevoke.url, { scopes: ['openid', 'messages.send'] });
    expect(asked.details).toMatchObject({ app: { name: 'Tunes' } });
  });

  it('revoking the app in Apps & access stops every token of the grant at once', async () => {
    const p = await partner(t, tunes);
    const { url, codeVerifier, state } = await p.authorizationUrl('openid offline_access messages.send');
    const { callbackUrl } = await consent(t, ann, url, {
      scopes: ['openid', 'offline_access', 'messages.send'],
    });
    const tokens = await p.exchange(callbackUrl, codeVerifier, state);

    const apps = await fetch(`${t.baseUrl}/api/apps`, { headers: { cookie: ann.cookie } });
    expect(
      ((await apps.json()) as { items: { app: { clientId: string } }[] }).items.map((a) => a.app.clientId),
    ).toEqual([tunes.clientId]);
    const revoke = await fetch(`${t.baseUrl}/api/apps/${tunes.clientId}`, {
      method: 'DELETE',
      headers: { cookie: ann.cookie, origin: t.baseUrl },
    });
    expect(revoke.status).toBe(204);

    const after = await v1(tokens.access_token, '/me');
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toMatch(/invalid_token/);
    await expect(p.refresh(tokens.refresh_token!)).rejects.toThrow();
    const listed = await fetch(`${t.baseUrl}/api/apps`, { headers: { cookie: ann.cookie } });
    expect(await listed.json()).toEqual({ items: [] });
  });

  it('refuses a scope the app did not register, a missing PKCE challenge and a wrong redirect URI', async () => {
    const p = await partner(t, tunes);
    const b = (await import('./oauth-harness.js')).browser(t.baseUrl, ann);

    const unregistered = await p.authorizationUrl('openid threads.connect');
    const refused = await b.navigate(unregistered.url);
    expect(new URL(refused.url).searchParams.get('error')).toBe('invalid_scope');

    const withoutPkce = new URL((await p.authorizationUrl('openid')).url);
    withoutPkce.searchParams.delete('code_challenge');
    withoutPkce.searchParams.delete('code_challenge_method');
    const noPkce = await b.navigate(withoutPkce.href);
    expect(new URL(noPkce.url).searchParams.get('error')).toBe('invalid_request');

    const wrongRedirect = new URL((await p.authorizationUrl('openid')).url);
    wrongRedirect.searchParams.set('redirect_uri', 'http://127.0.0.1:9/callback/evil');
    const stays = await b.navigate(wrongRedirect.href);
    // Never redirected to an unregistered URI: the error is shown on Parley's own page.
    expect(stays.url.startsWith(t.baseUrl)).toBe(true);
    expect(stays.response.status).toBe(400);
  });

  it('answers a person who cancels with access_denied', async () => {
    const p = await partner(t, tunes);
    const { url, state } = await p.authorizationUrl('openid');
    const { callbackUrl } = await consent(t, ann, url, 'deny');
    const params = new URL(callbackUrl).searchParams;
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('state')).toBe(state);
  });

  it('refuses tampered and unknown tokens with 401 and a challenge', async () => {
    for (const header of ['Bearer not-a-real-token', 'Bearer ', 'Basic abc', '']) {
      const response = await fetch(`${t.baseUrl}/v1/me`, {
        headers: header ? { authorization: header } : {},
      });
      expect(response.status, header).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/problem\+json/);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('uses a code once: a replayed code is refused and revokes what it issued (RFC 9700 §4.5)', async () => {
    const p = await partner(t, tunes);
    const { url, codeVerifier, state } = await p.authorizationUrl('openid messages.send');
    const { callbackUrl } = await consent(t, ann, url, { scopes: ['openid', 'messages.send'] });
    const first = await p.exchange(callbackUrl, codeVerifier, state);
    await expect(p.exchange(callbackUrl, codeVerifier, state)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect((await v1(first.access_token, '/me')).status).toBe(401);
  });

  it('authenticates the client, and offers neither the password grant nor implicit tokens (RFC 9700 §2.4, §2.1.2)', async () => {
    const p = await partner(t, tunes);
    const { url, codeVerifier, state } = await p.authorizationUrl('openid');
    const { callbackUrl } = await consent(t, ann, url, { scopes: ['openid'] });
    const params = oauth.validateAuthResponse(p.as, p.client, new URL(callbackUrl), state);
    const wrongSecret = await oauth.authorizationCodeGrantRequest(
      p.as,
      p.client,
      oauth.ClientSecretBasic('not-the-secret'),
      params,
      'http://127.0.0.1:9/callback',
      codeVerifier,
      p.insecure,
    );
    expect(wrongSecret.status).toBe(401);
    expect(((await wrongSecret.json()) as { error: string }).error).toBe('invalid_client');

    const password = await fetch(p.as.token_endpoint!, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${tunes.clientId}:${tunes.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'password',
        username: 'ann',
        password: 'correct horse battery',
      }),
    });
    expect(password.status).toBe(400);
    expect(((await password.json()) as { error: string }).error).toBe('unsupported_grant_type');

    const implicit = new URL((await p.authorizationUrl('openid')).url);
    implicit.searchParams.set('response_type', 'token');
    const b = (await import('./oauth-harness.js')).browser(t.baseUrl, ann);
    const refused = await b.navigate(implicit.href);
    // An implicit-style error travels in the fragment (OAuth 2.0 Multiple Response Types §5).
    const answer = new URL(refused.url);
    expect(new URLSearchParams(answer.hash.slice(1)).get('error') ?? answer.searchParams.get('error')).toBe(
      'unsupported_response_type',
    );
  });

  it('introspects tokens for their client, and revokes a refresh token through the revocation endpoint', async () => {
    const p = await partner(t, tunes);
    const { url, codeVerifier, state } = await p.authorizationUrl('openid offline_access messages.send');
    const { callbackUrl } = await consent(t, ann, url, {
      scopes: ['openid', 'offline_access', 'messages.send'],
    });
    const tokens = await p.exchange(callbackUrl, codeVerifier, state);
    const introspect = async (token: string) =>
      oauth.processIntrospectionResponse(
        p.as,
        p.client,
        await oauth.introspectionRequest(p.as, p.client, p.auth, token, p.insecure),
      );
    expect(await introspect(tokens.access_token)).toMatchObject({
      active: true,
      client_id: tunes.clientId,
      sub: ann.id,
      scope: 'messages.send',
      aud: `${t.baseUrl}/v1`,
    });
    const revoked = await oauth.revocationRequest(p.as, p.client, p.auth, tokens.refresh_token!, p.insecure);
    await oauth.processRevocationResponse(revoked);
    // Revoking the refresh token drops the grant: the access token goes too.
    expect(await introspect(tokens.access_token)).toMatchObject({ active: false });
    expect((await v1(tokens.access_token, '/me')).status).toBe(401);
  });

  it("refuses other people's ids: another developer's app, another person's conversation on the consent screen", async () => {
    const [other, bob] = await signupAll(t.app, 'other', 'bob');
    const peek = await fetch(`${t.baseUrl}/api/developer/apps/${tunes.clientId}`, {
      headers: { cookie: other.cookie },
    });
    expect(peek.status).toBe(404);
    const edit = await fetch(`${t.baseUrl}/api/developer/apps/${tunes.clientId}`, {
      method: 'PATCH',
      headers: { cookie: other.cookie, origin: t.baseUrl, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Mine now' }),
    });
    expect(edit.status).toBe(404);
    const rotate = await fetch(`${t.baseUrl}/api/developer/apps/${tunes.clientId}/secret`, {
      method: 'POST',
      headers: { cookie: other.cookie, origin: t.baseUrl },
    });
    expect(rotate.status).toBe(404);

    // Bob's conversation (without Ann) cannot be handed to an app by Ann.
    const withThreads = await registerApp(t, dev, [
      { scope: 'openid', required: true },
      { scope: 'threads.connect' },
    ]);
    await (await import('./harness.js')).befriend(t.app, bob, other);
    const bobs = await fetch(`${t.baseUrl}/api/threads`, {
      method: 'POST',
      headers: { cookie: bob.cookie, origin: t.baseUrl, 'content-type': 'application/json' },
      body: JSON.stringify({ participants: [other.id] }),
    });
    const bobsThread = ((await bobs.json()) as { id: string }).id;
    const p = await partner(t, withThreads);
    const { url } = await p.authorizationUrl('openid threads.connect');
    await expect(
      consent(t, ann, url, { scopes: ['openid', 'threads.connect'], threadIds: [bobsThread] }),
    ).rejects.toThrow(/404/);
    expect(await (await fetch(`${t.baseUrl}/api/apps`, { headers: { cookie: ann.cookie } })).json()).toEqual({
      items: [],
    });
  });
});
