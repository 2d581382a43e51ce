// The whole OAuth flow through the SDK against a real Parley: the authorization URL, the person's
// consent over HTTP, the code exchange, refresh, revocation, and each refusal as a typed error.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consent, REDIRECT_URI, registerApp } from '../../server/test/oauth-harness.js';
import { ParleyAuthError, ParleyClient, ParleyError, ParleyOAuth, ParleyOAuthError } from '../src/index.js';
import { directThread, revokeApp, startWorld, type World } from './live.js';

describe('ParleyOAuth against a live Parley', () => {
  let w: World;
  beforeEach(async () => {
    w = await startWorld();
  });
  afterEach(() => w.close());

  it('builds the authorization request Parley requires: PKCE S256, state, nonce, resource', async () => {
    const pending = await w.oauth.createAuthorization({ scopes: ['openid', 'profile', 'offline_access'] });
    const params = pending.url.searchParams;
    expect(pending.url.href.startsWith(`${w.t.baseUrl}/oauth/`)).toBe(true);
    expect(Object.fromEntries(params)).toMatchObject({
      client_id: w.app.clientId,
      response_type: 'code',
      scope: 'openid profile offline_access',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge_method: 'S256',
      resource: `${w.t.baseUrl}/v1`,
      prompt: 'consent',
    });
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pending.codeVerifier).not.toBe(params.get('code_challenge'));
  });

  it('connects a person: tokens with the granted scopes, ID claims, and a token the API accepts', async () => {
    const tokens = await w.connect(w.ann, ['openid', 'profile', 'messages.send']);
    expect(tokens.accessToken).toEqual(expect.any(String));
    expect(tokens.refreshToken).toBeUndefined();
    expect(tokens.expiresAt).toBeGreaterThan(Date.now() + 3500_000);
    expect(tokens.expiresAt).toBeLessThanOrEqual(Date.now() + 3600_000);
    // The token response lists the partner API scopes; openid and profile show in the ID token.
    expect(tokens.scopes).toEqual(['messages.send']);
    expect(tokens.idClaims).toEqual({ sub: w.ann.id, preferredUsername: 'ann', name: 'Ann' });
    expect(tokens.authorizationDetails).toBeUndefined();
    const me = await w.clientFor(tokens).me();
    expect(me).toEqual({ id: w.ann.id, username: 'ann', displayName: 'Ann' });
  });

  it('turns Cancel into ParleyOAuthError access_denied, and refuses a callback with another state', async () => {
    const pending = await w.oauth.createAuthorization({ scopes: ['openid'] });
    const { callbackUrl } = await consent(w.t, w.ann, pending.url.href, 'deny');
    const denied = await w.oauth.finishAuthorization(callbackUrl, pending).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(ParleyOAuthError);
    expect(denied).toMatchObject({ error: 'access_denied' });

    const other = await w.oauth.createAuthorization({ scopes: ['openid'] });
    const { callbackUrl: forged } = await consent(w.t, w.ann, other.url.href, { scopes: ['openid'] });
    const mismatch = await w.oauth.finishAuthorization(forged, pending).catch((e: unknown) => e);
    expect(mismatch).toMatchObject({ name: 'ParleyOAuthError', error: 'invalid_response' });
    // The right pending request still finishes (the code was not spent by the refused attempt),
    // also from the path alone, as a server sees the request.
    const path = new URL(forged).pathname + new URL(forged).search;
    await expect(w.oauth.finishAuthorization(path, other)).resolves.toMatchObject({
      idClaims: { sub: w.ann.id },
    });
  });

  it('reports a scope the app did not register as the server’s invalid_scope', async () => {
    const narrow = await registerApp(w.t, w.dev, [{ scope: 'openid', required: true }]);
    const oauth = await ParleyOAuth.discover({
      parleyUrl: w.t.baseUrl,
      clientId: narrow.clientId,
      clientSecret: narrow.clientSecret,
      redirectUri: REDIRECT_URI,
    });
    const pending = await oauth.createAuthorization({ scopes: ['openid', 'messages.read'] });
    const { callbackUrl } = await consent(w.t, w.ann, pending.url.href, { scopes: ['openid'] });
    await expect(oauth.finishAuthorization(callbackUrl, pending)).rejects.toMatchObject({
      name: 'ParleyOAuthError',
      error: 'invalid_scope',
    });
  });

  it('threadsConnect: the person picks a conversation and the tokens name it (RFC 9396)', async () => {
    const thread = await directThread(w, w.ann, w.bob);
    const pending = await w.oauth.createAuthorization({ scopes: ['openid'], threadsConnect: true });
    expect(pending.url.searchParams.get('scope')).toBe('openid threads.connect');
    expect(JSON.parse(pending.url.searchParams.get('authorization_details')!)).toEqual([
      { type: 'parley_thread' },
    ]);
    const { callbackUrl, details } = await consent(w.t, w.ann, pending.url.href, {
      scopes: ['openid', 'threads.connect'],
      threadIds: [thread],
    });
    expect((details as { threads: { id: string }[] }).threads.map((x) => x.id)).toContain(thread);
    const tokens = await w.oauth.finishAuthorization(callbackUrl, pending);
    expect(tokens.scopes).toContain('threads.connect');
    expect(tokens.authorizationDetails).toEqual([{ type: 'parley_thread', identifier: thread }]);
    const permissions = await w.clientFor(tokens).permissions();
    expect(permissions.threads.map((x) => x.id)).toEqual([thread]);
  });

  it('refreshes with rotation: the new token works, reusing the old refresh token ends the grant', async () => {
    const first = await w.connect(w.ann, ['openid', 'offline_access', 'messages.send']);
    expect(first.refreshToken).toEqual(expect.any(String));
    const second = await w.oauth.refresh(first.refreshToken!);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).toEqual(expect.any(String));
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.scopes).toContain('messages.send');
    await expect(w.clientFor(second).me()).resolves.toMatchObject({ id: w.ann.id });

    const reuse = await w.oauth.refresh(first.refreshToken!).catch((e: unknown) => e);
    expect(reuse).toBeInstanceOf(ParleyOAuthError);
    expect(reuse).toMatchObject({ error: 'invalid_grant' });
    // RFC 9700 §4.14.2: the reuse revoked the grant, so the newer tokens stop working too.
    await expect(w.oauth.refresh(second.refreshToken!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('revoke: a revoked access token is refused with ParleyAuthError', async () => {
    const tokens = await w.connect(w.ann, ['openid', 'messages.send']);
    const client = w.clientFor(tokens);
    await client.me();
    await w.oauth.revoke(tokens.accessToken);
    const refused = await client.me().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ParleyAuthError);
    expect(refused).toMatchObject({ status: 401, code: 'invalid_token' });
  });

  it('a person revoking the app in Apps & access ends the access token and the refresh token', async () => {
    const tokens = await w.connect(w.ann, ['openid', 'offline_access', 'messages.send']);
    await revokeApp(w, w.ann);
    await expect(w.clientFor(tokens).me()).rejects.toBeInstanceOf(ParleyAuthError);
    await expect(w.oauth.refresh(tokens.refreshToken!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a wrong client secret as invalid_client', async () => {
    const wrong = await ParleyOAuth.discover({
      parleyUrl: w.t.baseUrl,
      clientId: w.app.clientId,
      clientSecret: 'not the secret',
      redirectUri: REDIRECT_URI,
    });
    const pending = await wrong.createAuthorization({ scopes: ['openid'] });
    const { callbackUrl } = await consent(w.t, w.ann, pending.url.href, { scopes: ['openid'] });
    await expect(wrong.finishAuthorization(callbackUrl, pending)).rejects.toMatchObject({
      name: 'ParleyOAuthError',
      error: 'invalid_client',
    });
  });

  it('uses the given fetch for every request', async () => {
    const seen: string[] = [];
    const counting: typeof fetch = (input, init) => {
      seen.push(input instanceof Request ? input.url : input instanceof URL ? input.href : input);
      return fetch(input, init);
    };
    const oauth = await ParleyOAuth.discover({
      parleyUrl: `${w.t.baseUrl}/`,
      clientId: w.app.clientId,
      clientSecret: w.app.clientSecret,
      redirectUri: REDIRECT_URI,
      fetch: counting,
    });
    expect(seen).toEqual([`${w.t.baseUrl}/oauth/.well-known/openid-configuration`]);
    const pending = await oauth.createAuthorization({ scopes: ['openid'] });
    const { callbackUrl } = await consent(w.t, w.ann, pending.url.href, { scopes: ['openid'] });
    const tokens = await oauth.finishAuthorization(callbackUrl, pending);
    await oauth.revoke(tokens.accessToken);
    expect(seen.slice(1).map((url) => new URL(url).pathname)).toEqual([
      '/oauth/token',
      '/oauth/token/revocation',
    ]);
    await expect(
      new ParleyClient({ parleyUrl: w.t.baseUrl, accessToken: tokens.accessToken }).me(),
    ).rejects.toThrow(ParleyAuthError);
  });
});

describe('ParleyOAuth.discover', () => {
  it('refuses plain http except on this machine', async () => {
    const options = { clientId: 'app_x', redirectUri: 'https://app.example/cb' };
    await expect(ParleyOAuth.discover({ ...options, parleyUrl: 'http://parley.example' })).rejects.toThrow(
      ParleyError,
    );
  });
});
