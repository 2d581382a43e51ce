// Each power of the partner API, and each refusal, through a real OAuth flow (oauth4webapi),
// on both databases. An app can do exactly what the scope table says, nothing more.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  befriend,
  client,
  dialects,
  manualClock,
  rowCounts,
  sessionCookie,
  signupAll,
  type Person,
} from './harness.js';
import {
  consent,
  partner,
  REDIRECT_URI,
  registerApp,
  startLiveApp,
  type LiveApp,
  type RegisteredApp,
  connectApp,
  partnerCall,
} from './oauth-harness.js';

interface Message {
  id: string;
  threadId: string;
  text: string | null;
  via: { clientId: string; name: string } | null;
  author: { id: string };
}

describe.each(dialects())('the partner API on %s', (dialect) => {
  let t: LiveApp;
  let dev: Person;
  let ann: Person;
  let bob: Person;
  let cat: Person;
  let tunes: RegisteredApp;
  const clock = manualClock(new Date('2026-03-01T00:00:00Z'));

  beforeEach(async () => {
    t = await startLiveApp(dialect, { clock });
    [dev, ann, bob, cat] = await signupAll(t.app, 'dev', 'ann', 'bob', 'cat');
    await befriend(t.app, ann, bob);
    await befriend(t.app, ann, cat);
    tunes = await registerApp(t, dev, [
      { scope: 'openid', required: true },
      { scope: 'profile' },
      { scope: 'offline_access' },
      { scope: 'friends.read' },
      { scope: 'messages.send' },
      { scope: 'messages.read' },
      { scope: 'threads.connect' },
    ]);
  });
  afterEach(() => t.close());

  const connect = (person: Person, scopes: string[], threadIds: string[] = []) =>
    connectApp(t, tunes, person, scopes, threadIds);

  const v1 = (token: string, method: string, path: string, body?: unknown) =>
    partnerCall(t, token, method, path, body);
  const messageCount = async () => (await rowCounts(t.storage)).messages;

  it('messages.send: sends to a friend "via Tunes" in a conversation of its own, never to strangers', async () => {
    const { access_token } = await connect(ann, ['openid', 'messages.send']);
    const sent = await v1(access_token, 'POST', '/messages', {
      to: bob.id,
      text: 'Listen to this!',
      card: { kind: 'song', title: 'So What', url: 'https://tunes.example/so-what' },
    });
    expect(sent.status).toBe(201);
    const message = (await sent.json()) as Message;
    expect(message).toMatchObject({
      author: { id: ann.id },
      via: { clientId: tunes.clientId, name: 'Tunes' },
    });

    // Bob sees it, from Ann, via Tunes — in a conversation separate from their own one-to-one.
    const direct = (await client(t.app, ann.cookie).post('/api/threads', { participants: [bob.id] })).json<{
      id: string;
    }>();
    expect(message.threadId).not.toBe(direct.id);
    const seen = (await client(t.app, bob.cookie).get(`/api/threads/${message.threadId}/messages`)).json<{
      items: Message[];
    }>();
    expect(seen.items[0]).toMatchObject({ id: message.id, via: { name: 'Tunes' } });

    // A second share reuses Tunes' conversation with Bob.
    const again = (await (
      await v1(access_token, 'POST', '/messages', { to: bob.id, text: 'And this' })
    ).json()) as Message;
    expect(again.threadId).toBe(message.threadId);

    // Dev is not Ann's friend: refused, nothing written.
    const stranger = await v1(access_token, 'POST', '/messages', { to: dev.id, text: 'hi' });
    expect(stranger.status).toBe(404);
    // messages.send alone reads nothing, not even the conversation it started.
    const read = await v1(access_token, 'GET', `/threads/${message.threadId}/messages`);
    expect(read.status).toBe(403);
    expect(((await read.json()) as { code: string }).code).toBe('insufficient_scope');
    // Nor can it post into Ann and Bob's own conversation.
    expect((await v1(access_token, 'POST', '/messages', { to: direct.id, text: 'sneaky' })).status).toBe(404);
    // Listing conversations is reading them: refused outright, not an empty list.
    const list = await v1(access_token, 'GET', '/threads');
    expect(list.status).toBe(403);
    expect(((await list.json()) as { code: string }).code).toBe('insufficient_scope');
    // Bob's reply in Tunes' conversation, which Tunes cannot read: as if it did not exist.
    const reply = (
      await client(t.app, bob.cookie).post(`/api/threads/${message.threadId}/messages`, { text: 'Nice' })
    ).json<{ id: string }>();
    const deleteReply = await v1(access_token, 'DELETE', `/messages/${reply.id}`);
    expect(deleteReply.status).toBe(404);
    expect(((await deleteReply.json()) as { code: string }).code).toBe('message_not_found');
  });

  it('messages.read: reads conversations started through the app, and no other', async () => {
    const { access_token } = await connect(ann, ['openid', 'messages.send', 'messages.read']);
    const shared = (await (
      await v1(access_token, 'POST', '/messages', { to: bob.id, text: 'Track 1' })
    ).json()) as Message;
    await client(t.app, bob.cookie).post(`/api/threads/${shared.threadId}/messages`, { text: 'Love it' });
    const direct = (await client(t.app, ann.cookie).post('/api/threads', { participants: [bob.id] })).json<{
      id: string;
    }>();
    await client(t.app, ann.cookie).post(`/api/threads/${direct.id}/messages`, { text: 'private' });

    const threads = (await (await v1(access_token, 'GET', '/threads')).json()) as { items: { id: string }[] };
    expect(threads.items.map((x) => x.id)).toEqual([shared.threadId]);
    // Bob sees, in that conversation, that Tunes can read it and through whom.
    const detail = (await client(t.app, bob.cookie).get(`/api/threads/${shared.threadId}`)).json<{
      apps: unknown[];
    }>();
    expect(detail.apps).toEqual([
      {
        clientId: tunes.clientId,
        name: 'Tunes',
        connectedBy: { id: ann.id, username: 'ann', displayName: 'Ann' },
      },
    ]);
    const messages = (await (
      await v1(access_token, 'GET', `/threads/${shared.threadId}/messages`)
    ).json()) as { items: Message[] };
    expect(messages.items.map((m) => m.text)).toEqual(['Love it', 'Track 1']);
    expect((await v1(access_token, 'GET', `/threads/${direct.id}/messages`)).status).toBe(404);
  });

  it('threads.connect: reads and posts only in the ticked conversations; participants see it and can remove it', async () => {
    const withBob = (await client(t.app, ann.cookie).post('/api/threads', { participants: [bob.id] })).json<{
      id: string;
    }>();
    const withCat = (await client(t.app, ann.cookie).post('/api/threads', { participants: [cat.id] })).json<{
      id: string;
    }>();
    await client(t.app, bob.cookie).post(`/api/threads/${withBob.id}/messages`, { text: 'Hi Ann' });
    const tokens = await connect(ann, ['openid', 'threads.connect'], [withBob.id]);
    // RFC 9396: the token response carries the chosen conversation.
    expect(tokens.authorization_details).toEqual([
      { type: 'parley_thread', identifier: withBob.id, actions: ['read', 'post'] },
    ]);

    const read = (await (await v1(tokens.access_token, 'GET', `/threads/${withBob.id}/messages`)).json()) as {
      items: Message[];
    };
    expect(read.items.map((m) => m.text)).toEqual(['Hi Ann']);
    expect(
      (await v1(tokens.access_token, 'POST', '/messages', { to: withBob.id, text: 'from Tunes' })).status,
    ).toBe(201);
    expect((await v1(tokens.access_token, 'GET', `/threads/${withCat.id}/messages`)).status).toBe(404);
    expect((await v1(tokens.access_token, 'POST', '/messages', { to: withCat.id, text: 'x' })).status).toBe(
      404,
    );

    // Bob, the other participant, sees Tunes and who connected it …
    const detail = (await client(t.app, bob.cookie).get(`/api/threads/${withBob.id}`)).json<{
      apps: unknown[];
    }>();
    expect(detail.apps).toEqual([
      {
        clientId: tunes.clientId,
        name: 'Tunes',
        connectedBy: { id: ann.id, username: 'ann', displayName: 'Ann' },
      },
    ]);
    // … and removes it, at once.
    const removed = await fetch(`${t.baseUrl}/api/threads/${withBob.id}/apps/${tunes.clientId}`, {
      method: 'DELETE',
      headers: { cookie: bob.cookie, origin: t.baseUrl },
    });
    expect(removed.status).toBe(204);
    expect((await v1(tokens.access_token, 'GET', `/threads/${withBob.id}/messages`)).status).toBe(404);
    expect(
      (await client(t.app, bob.cookie).get(`/api/threads/${withBob.id}`)).json<{ apps: unknown[] }>().apps,
    ).toEqual([]);
    const permissions = (await (await v1(tokens.access_token, 'GET', '/me/permissions')).json()) as {
      threads: unknown[];
    };
    expect(permissions.threads).toEqual([]);
    // Carol is not in that conversation and cannot remove apps from it.
    const byStranger = await fetch(`${t.baseUrl}/api/threads/${withBob.id}/apps/${tunes.clientId}`, {
      method: 'DELETE',
      headers: { cookie: cat.cookie, origin: t.baseUrl },
    });
    expect(byStranger.status).toBe(404);
  });

  it('deletes only messages the app itself sent', async () => {
    const withBob = (await client(t.app, ann.cookie).post('/api/threads', { participants: [bob.id] })).json<{
      id: string;
    }>();
    const own = (
      await client(t.app, ann.cookie).post(`/api/threads/${withBob.id}/messages`, { text: 'mine' })
    ).json<{ id: string }>();
    const { access_token } = await connect(ann, ['openid', 'messages.send', 'threads.connect'], [withBob.id]);
    const viaApp = (await (
      await v1(access_token, 'POST', '/messages', { to: withBob.id, text: 'via app' })
    ).json()) as Message;
    expect((await v1(access_token, 'DELETE', `/messages/${own.id}`)).status).toBe(403);
    expect((await v1(access_token, 'DELETE', `/messages/${viaApp.id}`)).status).toBe(204);
    const left = (await client(t.app, bob.cookie).get(`/api/threads/${withBob.id}/messages`)).json<{
      items: Message[];
    }>();
    expect(left.items.map((m) => m.id)).toEqual([own.id]);
  });

  it('friends.read: only friends who have also connected the app', async () => {
    const { access_token } = await connect(ann, ['openid', 'friends.read']);
    expect(
      ((await (await v1(access_token, 'GET', '/me/friends')).json()) as { items: unknown[] }).items,
    ).toEqual([]);
    await connect(bob, ['openid']);
    const friends = (await (await v1(access_token, 'GET', '/me/friends')).json()) as {
      items: { id: string }[];
    };
    expect(friends.items.map((f) => f.id)).toEqual([bob.id]);
    const without = await connect(cat, ['openid']);
    expect((await v1(without.access_token, 'GET', '/me/friends')).status).toBe(403);
  });

  it('expires a grant unused for PARLEY_GRANT_EXPIRY_DAYS: tokens stop, it shows as expired, consent is asked again', async () => {
    const tokens = await connect(ann, ['openid', 'offline_access']);
    expect((await v1(tokens.access_token, 'GET', '/me')).status).toBe(200);
    clock.advance(89 * 24 * 3600 * 1000);
    expect((await v1(tokens.access_token, 'GET', '/me')).status).toBe(200); // use moves the expiry on
    clock.advance(91 * 24 * 3600 * 1000);
    const expired = await v1(tokens.access_token, 'GET', '/me');
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { detail: string }).detail).toMatch(/expired/);
    // Ann's own session lapsed too (30 days): she logs in again.
    const login = await client(t.app).post('/api/auth/login', {
      username: 'ann',
      password: 'correct horse battery',
    });
    ann = { ...ann, cookie: sessionCookie(login) };
    const apps = (await client(t.app, ann.cookie).get('/api/apps')).json<{ items: { status: string }[] }>();
    expect(apps.items.map((a) => a.status)).toEqual(['expired']);
    // A new authorization shows the consent screen again (details are served, not a silent code).
    const p = await partner(t, tunes);
    const { url } = await p.authorizationUrl('openid');
    const again = await consent(t, ann, url, { scopes: ['openid'] });
    expect(again.details).not.toBeNull();
  });

  it('a refresh cannot ask for more than was granted', async () => {
    const tokens = await connect(ann, ['openid', 'offline_access', 'messages.send']);
    const p = await partner(t, tunes);
    const oauth = await import('oauth4webapi');
    const response = await oauth.refreshTokenGrantRequest(p.as, p.client, p.auth, tokens.refresh_token!, {
      ...p.insecure,
      additionalParameters: { scope: 'openid offline_access messages.send messages.read' },
    });
    await expect(oauth.processRefreshTokenResponse(p.as, p.client, response)).rejects.toMatchObject({
      error: 'invalid_scope',
    });
  });

  it('limits each app acting for one person (429 with Retry-After) and counts usage for the developer', async () => {
    const { access_token } = await connect(ann, ['openid']);
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await v1(access_token, 'GET', '/me')).status);
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    const limited = await v1(access_token, 'GET', '/me');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { code: string }).code).toBe('rate_limited');
    // Another person using the same app is not held back by Ann's burst.
    const bobs = await connect(bob, ['openid']);
    expect((await v1(bobs.access_token, 'GET', '/me')).status).toBe(200);
    clock.advance(1000);
    expect((await v1(access_token, 'GET', '/me')).status).toBe(200);

    const console = (await client(t.app, dev.cookie).get(`/api/developer/apps/${tunes.clientId}`)).json<{
      usage: { action: string; count: number }[];
      grants: { active: number };
    }>();
    expect(console.usage).toEqual([
      { action: 'profile.read', count: 62, lastUsedAt: expect.any(String) as unknown },
    ]);
    expect(console.grants.active).toBe(2);
  });

  it('streams new messages of readable conversations over /v1/events, and stops when revoked', async () => {
    const { access_token } = await connect(ann, ['openid', 'messages.send', 'messages.read']);
    const direct = (await client(t.app, ann.cookie).post('/api/threads', { participants: [bob.id] })).json<{
      id: string;
    }>();
    const abort = new AbortController();
    const response = await fetch(`${t.baseUrl}/v1/events`, {
      headers: { authorization: `Bearer ${access_token}` },
      signal: abort.signal,
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader: ReadableStreamDefaultReader<Uint8Array> = response.body!.getReader();
    let buffer = '';
    const nextEvent = async (): Promise<{ event: string; data: Record<string, unknown> } | null> => {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) continue;
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
          const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}') as Record<string, unknown>;
          return { event, data };
        }
        const { value, done } = await reader.read();
        if (done) return null;
        buffer += new TextDecoder().decode(value);
      }
    };
    expect((await nextEvent())?.event).toBe('hello');

    // A message in Ann and Bob's own conversation is not Tunes' business: it never arrives.
    await client(t.app, bob.cookie).post(`/api/threads/${direct.id}/messages`, { text: 'private' });
    const shared = (await (
      await v1(access_token, 'POST', '/messages', { to: bob.id, text: 'Track 2' })
    ).json()) as Message;
    const first = await nextEvent();
    expect(first).toMatchObject({
      event: 'message.created',
      data: { message: { id: shared.id, text: 'Track 2' } },
    });
    await client(t.app, bob.cookie).post(`/api/threads/${shared.threadId}/messages`, { text: 'Nice one' });
    expect((await nextEvent())?.data).toMatchObject({
      message: { text: 'Nice one', author: { id: bob.id } },
    });

    await fetch(`${t.baseUrl}/api/apps/${tunes.clientId}`, {
      method: 'DELETE',
      headers: { cookie: ann.cookie, origin: t.baseUrl },
    });
    // The stream ends at once, without waiting for another message to find the grant gone.
    expect(await nextEvent()).toBeNull();
    abort.abort();
  });

  it('the share dialog: the person picks friends on Parley and the card goes "via" the app, no grant needed', async () => {
    const card = { kind: 'song', title: 'Blue in Green', url: 'https://tunes.example/blue-in-green' };
    const info = await client(t.app, ann.cookie).get(`/api/share/apps/${tunes.clientId}`);
    expect(info.json()).toMatchObject({ name: 'Tunes', developer: { username: 'dev' } });
    const shared = await client(t.app, ann.cookie).post('/api/share', {
      clientId: tunes.clientId,
      card,
      friendIds: [bob.id, cat.id],
      text: 'For you',
    });
    expect(shared.statusCode).toBe(201);
    const items = shared.json<{ items: Message[] }>().items;
    expect(items).toHaveLength(2);
    for (const m of items)
      expect(m).toMatchObject({ text: 'For you', via: { clientId: tunes.clientId, name: 'Tunes' } });
    const bobsView = (
      await client(t.app, bob.cookie).get(`/api/threads/${items[0]!.threadId}/messages`)
    ).json<{ items: Message[] }>();
    expect(bobsView.items[0]).toMatchObject({ author: { id: ann.id }, via: { name: 'Tunes' } });

    // Later, Tunes with messages.send + messages.read reaches exactly these conversations.
    const { access_token } = await connect(ann, ['openid', 'messages.send', 'messages.read']);
    const threads = (await (await v1(access_token, 'GET', '/threads')).json()) as { items: { id: string }[] };
    expect(threads.items.map((x) => x.id).sort()).toEqual(items.map((m) => m.threadId).sort());

    const toStranger = await client(t.app, ann.cookie).post('/api/share', {
      clientId: tunes.clientId,
      card,
      friendIds: [dev.id],
    });
    expect(toStranger.statusCode).toBe(403);
    const unknownApp = await client(t.app, ann.cookie).post('/api/share', {
      clientId: 'app_unknown',
      card,
      friendIds: [bob.id],
    });
    expect(unknownApp.statusCode).toBe(404);
  });

  it('the share dialog sends the person back to a registered address with what was sent, never to another', async () => {
    const card = { kind: 'show', title: 'Night Train', url: 'https://flicks.example/night-train' };
    const before = await messageCount();
    const elsewhere = await client(t.app, ann.cookie).post('/api/share', {
      clientId: tunes.clientId,
      card,
      friendIds: [bob.id],
      redirectUri: 'https://attacker.example/callback',
      state: 'xyz',
    });
    expect(elsewhere.statusCode).toBe(400);
    expect(await messageCount()).toBe(before);

    const shared = await client(t.app, ann.cookie).post('/api/share', {
      clientId: tunes.clientId,
      card,
      friendIds: [bob.id],
      redirectUri: REDIRECT_URI,
      state: 'xyz',
    });
    expect(shared.statusCode).toBe(201);
    const { items, returnTo } = shared.json<{ items: Message[]; returnTo: string }>();
    const back = new URL(returnTo);
    expect(back.origin + back.pathname).toBe(REDIRECT_URI);
    expect(back.searchParams.get('state')).toBe('xyz');
    expect(back.searchParams.get('threads')).toBe(items[0]!.threadId);
    expect(back.searchParams.get('messages')).toBe(items[0]!.id);

    // With messages.send only, the app can follow up in that conversation and unsend its card.
    const { access_token } = await connect(ann, ['openid', 'messages.send']);
    const followUp = await v1(access_token, 'POST', '/messages', {
      to: items[0]!.threadId,
      text: 'Ep. 2 is better',
    });
    expect(followUp.status).toBe(201);
    expect((await v1(access_token, 'DELETE', `/messages/${items[0]!.id}`)).status).toBe(204);
    expect((await v1(access_token, 'GET', `/threads/${items[0]!.threadId}/messages`)).status).toBe(403);
  });
});
