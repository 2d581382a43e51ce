// Tunes against a real Parley (SQLite, in this process, on a real port), driven over HTTP the way
// a browser drives it: connect through Parley's consent screen, share a song, hear the reply
// live, read the permissions page, lose the connection when Parley revokes it, connect again.
import { afterEach, describe, expect, it } from 'vitest';
import {
  befriend,
  browserOf,
  client,
  connect,
  openEvents,
  signature,
  signup,
  startWorld,
  storedData,
  writeStoredData,
  type Browser,
  type Person,
  type World,
} from '../../test-support/live.js';
import { startTunes, TUNES_SCOPES } from '../src/app.js';

interface SentItem {
  friendId: string;
  friendName: string;
  threadId: string;
  messageId: string;
  receipt: number | null;
}

interface ParleyMessage {
  id: string;
  text: string | null;
  card: { kind: string; title: string } | null;
  via: { clientId: string; name: string } | null;
  author: { id: string };
}

interface Stored {
  people: Record<
    string,
    { grantId: string; tokens: { accessToken: string; refreshToken: string; expiresAt: number } | null }
  >;
}

function startTunesWorld(o: { withWebhook: boolean }) {
  return startWorld({
    name: 'Tunes',
    scopes: TUNES_SCOPES.map((scope) => ({ scope, required: scope !== 'offline_access' })),
    withWebhook: o.withWebhook,
    start: startTunes,
  });
}

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function people(w: World) {
  const alice = await signup(w.parley.app, 'alice', 'Alice Martin');
  const bob = await signup(w.parley.app, 'bob', 'Bob Okafor');
  const carol = await signup(w.parley.app, 'carol', 'Carol Nguyen');
  await befriend(w.parley.app, alice, bob);
  await befriend(w.parley.app, alice, carol);
  return { alice, bob, carol };
}

async function connected(w: World, person: Person): Promise<Browser> {
  const browser = browserOf(person);
  const landed = await connect(browser, w.parley.baseUrl, w.app.url);
  expect(landed.url).toBe(`${w.app.url}/`);
  expect(landed.html).toContain(`Hi ${person.displayName}`);
  return browser;
}

/** The page without its <template>s (kept for the script, not shown). */
function withoutTemplates(html: string): string {
  return html.replace(/<template[\s\S]*?<\/template>/g, '');
}

function parleyMessages(w: World, person: Person, threadId: string) {
  return client(w.parley.app, person.cookie).get(`/api/threads/${threadId}/messages`);
}

describe('Tunes', () => {
  it('welcomes a newcomer with "Connect with Parley" and asks Parley for exactly its scopes', async () => {
    world = await startTunesWorld({ withWebhook: true });
    const { alice } = await people(world);
    const browser = browserOf(alice);

    const home = await browser.page(`${world.app.url}/`);
    expect(home.status).toBe(200);
    expect(home.html).toContain('Connect with Parley');
    expect(home.html).toContain('href="/connect"');

    const start = await browser.request(`${world.app.url}/connect`);
    expect(start.status).toBe(303);
    expect(start.headers.get('set-cookie')).toMatch(/^tunes_oauth=.*HttpOnly/i);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin).toBe(world.parley.baseUrl);
    expect(authorize.searchParams.get('scope')!.split(' ').sort()).toEqual(
      ['friends.read', 'messages.read', 'messages.send', 'offline_access', 'openid', 'profile'].sort(),
    );
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${world.app.url}/callback`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('connects, shares a song directly with a friend who uses Tunes, and relays the reply live', async () => {
    world = await startTunesWorld({ withWebhook: true });
    const { alice, bob } = await people(world);
    await connected(world, bob);
    const aliceBrowser = await connected(world, alice);

    // The friends picker lists bob (he connected Tunes) but not carol (she did not).
    const home = await aliceBrowser.page(`${world.app.url}/`);
    expect(home.html).toContain('Share<span class="sr-only"> Harbour Lights</span>');
    expect(home.html).toContain(`value="${bob.id}"`);
    expect(home.html).toContain('Bob Okafor');
    expect(home.html).not.toContain('Carol Nguyen');
    expect(home.html).toContain('aria-label="Conversation"');
    expect(home.html).toContain('Share on Parley…');

    const events = await openEvents(aliceBrowser, `${world.app.url}/events`);
    try {
      await events.next((e) => e.event === 'ready');

      const shared = await aliceBrowser.postJson(`${world.app.url}/api/share`, {
        songId: 'harbour-lights',
        friendIds: [bob.id],
        note: 'This one is for the ferry ride',
      });
      expect(shared.status).toBe(201);
      const { items } = (await shared.json()) as { items: SentItem[] };
      expect(items).toHaveLength(1);
      const [sent] = items as [SentItem];
      expect(sent).toMatchObject({ friendId: bob.id, friendName: 'Bob Okafor' });
      expect(sent.receipt).toEqual(expect.any(Number));

      // In Parley, bob sees the card from alice "via Tunes".
      const inParley = await parleyMessages(world, bob, sent.threadId);
      expect(inParley.statusCode).toBe(200);
      const [card] = inParley.json<{ items: ParleyMessage[] }>().items;
      expect(card).toMatchObject({
        id: sent.messageId,
        author: { id: alice.id },
        text: 'This one is for the ferry ride',
        card: { kind: 'song', title: 'Harbour Lights' },
        via: { clientId: world.clientId, name: 'Tunes' },
      });

      // Bob answers in Parley; the reply reaches alice's open Tunes page.
      const reply = await client(world.parley.app, bob.cookie).post(
        `/api/threads/${sent.threadId}/messages`,
        {
          text: 'On repeat already!',
        },
      );
      expect(reply.statusCode).toBe(201);
      const live = await events.next(
        (e) =>
          e.event === 'message.created' &&
          (e.data.message as ParleyMessage | undefined)?.text === 'On repeat already!',
      );
      expect(live.data.message).toMatchObject({ threadId: sent.threadId, author: { id: bob.id } });

      // The chat panel's endpoints: the conversation, oldest message first, and sending in it.
      const conversations = (await (
        await aliceBrowser.request(`${world.app.url}/api/conversations`)
      ).json()) as {
        items: { id: string; label: string }[];
      };
      expect(conversations.items).toEqual([
        expect.objectContaining({ id: sent.threadId, label: 'Bob Okafor' }),
      ]);
      const messages = (await (
        await aliceBrowser.request(`${world.app.url}/api/conversations/${sent.threadId}/messages`)
      ).json()) as { items: ParleyMessage[] };
      expect(messages.items.map((m) => m.text)).toEqual([
        'This one is for the ferry ride',
        'On repeat already!',
      ]);
      const typed = await aliceBrowser.postJson(
        `${world.app.url}/api/conversations/${sent.threadId}/messages`,
        {
          text: 'Glad you like it',
        },
      );
      expect(typed.status).toBe(201);
      const afterTyping = (await parleyMessages(world, bob, sent.threadId)).json<{
        items: ParleyMessage[];
      }>();
      expect(afterTyping.items[0]).toMatchObject({ text: 'Glad you like it', via: { name: 'Tunes' } });

      // The receipt checks out against Parley's signed transparency log.
      const verified = await aliceBrowser.request(`${world.app.url}/api/receipts/${sent.receipt}/verify`, {
        method: 'POST',
      });
      expect(verified.status).toBe(200);
      expect(await verified.json()).toMatchObject({ ok: true, index: sent.receipt });
    } finally {
      await events.close();
    }
  });

  it('listens to Parley for a person only while one of their Tunes pages is open', async () => {
    world = await startTunesWorld({ withWebhook: false });
    const { alice, bob } = await people(world);
    await connected(world, bob);
    const browser = await connected(world, alice);
    const shared = await browser.postJson(`${world.app.url}/api/share`, {
      songId: 'neon-orchard',
      friendIds: [bob.id],
    });
    const [{ threadId }] = ((await shared.json()) as { items: [SentItem] }).items;
    const reply = async (text: string) =>
      (await client(world!.parley.app, bob.cookie).post(`/api/threads/${threadId}/messages`, { text })).json<{
        id: string;
      }>().id;

    const page = await openEvents(browser, `${world.app.url}/events`);
    await page.next((e) => e.event === 'ready');
    const whileOpen = await reply('Heard it while you were here');
    await page.next((e) => e.event === 'message.created');
    await page.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const afterClosing = await reply('Sent after you left');

    // Parley's access log (alice's own view) shows what Tunes received live: only the first.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const log = (await client(world.parley.app, alice.cookie).get('/api/access-log')).json<{
      items: { entry: { app: string; action: string; messages: string[] } }[];
    }>();
    const liveReads = log.items
      .filter((i) => i.entry.app === world!.clientId && i.entry.action === 'app_events.read')
      .flatMap((i) => i.entry.messages);
    expect(liveReads).toContain(whileOpen);
    expect(liveReads).not.toContain(afterClosing);
  });

  it('shows what Tunes can do, from /v1/me/permissions, in Parley’s words', async () => {
    world = await startTunesWorld({ withWebhook: true });
    const { alice } = await people(world);
    const browser = await connected(world, alice);

    const page = await browser.page(`${world.app.url}/permissions`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('What Tunes can do in your Parley account');
    for (const line of [
      'See which friends also use this app',
      'Read conversations started through this app',
      'Read any other conversation',
      'Send messages as you',
      'Stay connected while you are away',
    ]) {
      expect(page.html).toContain(line);
    }
    expect(page.html).toContain(`href="${world.parley.baseUrl}/apps"`);
  });

  it('comes back from Parley’s share dialog to the conversation it started', async () => {
    world = await startTunesWorld({ withWebhook: false });
    const { alice, carol } = await people(world);
    const browser = await connected(world, alice);

    const toDialog = await browser.request(`${world.app.url}/songs/paper-planets/share-on-parley`);
    expect(toDialog.status).toBe(303);
    const dialog = new URL(toDialog.headers.get('location')!);
    expect(dialog.origin + dialog.pathname).toBe(`${world.parley.baseUrl}/share`);
    expect(dialog.searchParams.get('client_id')).toBe(world.clientId);
    const card = JSON.parse(dialog.searchParams.get('card')!) as Record<string, string>;
    expect(card).toMatchObject({ kind: 'song', title: 'Paper Planets', subtitle: 'Mina Solis' });

    // On Parley's page, alice picks carol (who does not use Tunes) and presses Send.
    const sent = await browser.postJson(`${world.parley.baseUrl}/api/share`, {
      clientId: world.clientId,
      card,
      friendIds: [carol.id],
      redirectUri: dialog.searchParams.get('redirect_uri'),
      state: dialog.searchParams.get('state'),
    });
    expect(sent.status).toBe(201);
    const { items, returnTo } = (await sent.json()) as { items: { threadId: string }[]; returnTo: string };
    const threadId = items[0]!.threadId;

    // "Back to Tunes" opens the conversation it started, which Tunes may read (messages.read).
    const back = await browser.page(returnTo);
    expect(back.url).toBe(`${world.app.url}/?conversation=${threadId}&shared=paper-planets`);
    expect(back.html).toContain('Shared “Paper Planets” through Parley.');
    expect(back.html).toContain(`data-open="${threadId}"`);
    const conversations = (await (await browser.request(`${world.app.url}/api/conversations`)).json()) as {
      items: { id: string; label: string }[];
    };
    expect(conversations.items).toEqual([expect.objectContaining({ id: threadId, label: 'Carol Nguyen' })]);

    // A state Tunes never gave out leads nowhere in particular.
    const forged = await browser.request(`${world.app.url}/callback?state=nope&threads=${threadId}`);
    expect(forged.status).toBe(400);
    await forged.body?.cancel();
  });

  it('says "Connect again" on its open page when Parley revokes it, and connects again', async () => {
    world = await startTunesWorld({ withWebhook: true });
    const { alice } = await people(world);
    const browser = await connected(world, alice);
    const events = await openEvents(browser, `${world.app.url}/events`);
    try {
      await events.next((e) => e.event === 'ready');

      // Alice revokes Tunes in Parley's Apps & access. Parley ends Tunes' /v1/events stream at
      // once (Tunes: access "ended"), and its grant.revoked webhook then tells Tunes why.
      const revoked = await client(world.parley.app, alice.cookie).delete(`/api/apps/${world.clientId}`);
      expect(revoked.statusCode).toBe(204);
      const gone = await events.next((e) => e.event === 'disconnected');
      expect(['ended', 'revoked']).toContain(gone.data.reason);
    } finally {
      await events.close();
    }

    // The webhook (the dispatcher runs every second) says it was a revocation.
    let home = await browser.page(`${world.app.url}/`);
    const saysRevoked = (html: string) => /<p data-reason="revoked"\s*>/.test(withoutTemplates(html));
    for (let tries = 0; tries < 50 && !saysRevoked(home.html); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      home = await browser.page(`${world.app.url}/`);
    }
    expect(withoutTemplates(home.html)).toContain('Connect again');
    expect(withoutTemplates(home.html)).toMatch(/<p data-reason="revoked"\s*>[^<]*revoked in Parley/);
    const api = await browser.request(`${world.app.url}/api/conversations`);
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({ error: 'not_connected', reason: 'revoked' });
    // Tunes forgot the tokens, not only the session.
    expect(storedData<Stored>(world, 'tunes.json').people[alice.id]?.tokens).toBeNull();

    const again = await connect(browser, world.parley.baseUrl, world.app.url);
    expect(again.html).toContain('Hi Alice Martin');
    expect(withoutTemplates(again.html)).not.toContain('Connect again');
  });

  it('notices a revocation without webhooks at the next call to Parley', async () => {
    world = await startTunesWorld({ withWebhook: false });
    const { alice } = await people(world);
    const browser = await connected(world, alice);

    expect(
      (await client(world.parley.app, alice.cookie).delete(`/api/apps/${world.clientId}`)).statusCode,
    ).toBe(204);
    const home = await browser.page(`${world.app.url}/`);
    expect(withoutTemplates(home.html)).toContain('Connect again');
  });

  it('acts on a signed grant.revoked webhook and refuses forged ones', async () => {
    world = await startTunesWorld({ withWebhook: true });
    const { alice } = await people(world);
    const browser = await connected(world, alice);
    const hook = `${world.app.url}/webhooks/parley`;
    const post = (body: string, signatureHeader?: string) =>
      fetch(hook, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signatureHeader ? { 'parley-signature': signatureHeader } : {}),
        },
        body,
      });
    const grantId = storedData<Stored>(world, 'tunes.json').people[alice.id]!.grantId;
    const revocation = (id: string, grant: string) =>
      JSON.stringify({
        type: 'grant.revoked',
        id,
        createdAt: new Date().toISOString(),
        data: { grantId: grant, userId: alice.id, clientId: world!.clientId },
      });

    // Unsigned, signed with another secret, or replayed from long ago: refused, and nothing changes.
    expect((await post(revocation('w1', grantId))).status).toBe(400);
    expect(
      (await post(revocation('w2', grantId), signature('not-the-secret', revocation('w2', grantId)))).status,
    ).toBe(400);
    const old = revocation('w3', grantId);
    expect(
      (await post(old, signature(world.webhookSecret, old, Math.floor(Date.now() / 1000) - 3600))).status,
    ).toBe(400);
    // Genuine, but about an older grant than the one Tunes holds now: ignored.
    const other = revocation('w4', 'some-older-grant');
    expect((await post(other, signature(world.webhookSecret, other))).status).toBe(204);
    expect((await browser.page(`${world.app.url}/`)).html).toContain('Hi Alice Martin');

    const genuine = revocation('w5', grantId);
    expect((await post(genuine, signature(world.webhookSecret, genuine))).status).toBe(204);
    const home = await browser.page(`${world.app.url}/`);
    expect(withoutTemplates(home.html)).toContain('Connect again');
  });

  it('keeps people connected across a restart, refreshing an expired access token', async () => {
    world = await startTunesWorld({ withWebhook: false });
    const { alice } = await people(world);
    const browser = await connected(world, alice);
    const stored = storedData<Stored>(world, 'tunes.json');
    const before = { ...stored.people[alice.id]!.tokens! };
    expect(before.refreshToken).toEqual(expect.any(String));

    // Tunes restarts, and meanwhile the access token has expired.
    await world.restartApp(() => {
      stored.people[alice.id]!.tokens!.expiresAt = Date.now() - 1000;
      writeStoredData(world!, 'tunes.json', stored);
    });

    const home = await browser.page(`${world.app.url}/`);
    expect(home.html).toContain('Hi Alice Martin');
    const after = storedData<Stored>(world, 'tunes.json').people[alice.id]!.tokens!;
    expect(after.accessToken).not.toBe(before.accessToken);
    // Parley rotates refresh tokens: Tunes must keep the new one.
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.expiresAt).toBeGreaterThan(Date.now());
  });

  it('says plainly when the person declines on the consent screen', async () => {
    world = await startTunesWorld({ withWebhook: false });
    const { alice } = await people(world);
    const landed = await connect(browserOf(alice), world.parley.baseUrl, world.app.url, 'deny');
    expect(landed.html).toContain('Tunes is not connected');
    expect(landed.html).toContain('Connect with Parley');
  });

  it('refuses state-changing requests from other sites', async () => {
    world = await startTunesWorld({ withWebhook: false });
    const { alice } = await people(world);
    const browser = await connected(world, alice);
    const response = await browser.request(`${world.app.url}/api/share`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ songId: 'harbour-lights', friendIds: ['x'] }),
    });
    expect(response.status).toBe(403);
  });
});
