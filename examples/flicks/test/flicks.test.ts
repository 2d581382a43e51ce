// Flicks against a real Parley (SQLite, in this process, on a real port), driven over HTTP the way
// a browser drives it: connect, see that Flicks cannot read, recommend a show through Parley's
// share dialog, come back, send a follow-up, unsend, and lose the connection when it is revoked.
import { afterEach, describe, expect, it } from 'vitest';
import {
  befriend,
  browserOf,
  client,
  connect,
  signup,
  startWorld,
  storedData,
  type Browser,
  type Person,
  type World,
} from '../../test-support/live.js';
import { FLICKS_SCOPES, startFlicks } from '../src/app.js';

interface ParleyMessage {
  id: string;
  threadId: string;
  text: string | null;
  card: { kind: string; title: string } | null;
  via: { clientId: string; name: string } | null;
  author: { id: string };
}

interface Stored {
  people: Record<string, { tokens: { accessToken: string } | null }>;
}

function startFlicksWorld() {
  return startWorld({
    name: 'Flicks',
    scopes: FLICKS_SCOPES.map((scope) => ({ scope, required: true })),
    withWebhook: false,
    start: startFlicks,
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

function messagesIn(w: World, person: Person, threadId: string) {
  return client(w.parley.app, person.cookie)
    .get(`/api/threads/${threadId}/messages`)
    .then((r) => r.json<{ items: ParleyMessage[] }>().items);
}

/** Presses "Recommend" and, on Parley's share dialog, sends the show to `friends`; returns where "Back to Flicks" lands. */
async function recommend(w: World, browser: Browser, showId: string, friends: Person[]) {
  const toDialog = await browser.request(`${w.app.url}/shows/${showId}/recommend`);
  expect(toDialog.status).toBe(303);
  const dialog = new URL(toDialog.headers.get('location')!);
  expect(dialog.origin + dialog.pathname).toBe(`${w.parley.baseUrl}/share`);
  const sent = await browser.postJson(`${w.parley.baseUrl}/api/share`, {
    clientId: dialog.searchParams.get('client_id'),
    card: JSON.parse(dialog.searchParams.get('card')!) as unknown,
    friendIds: friends.map((f) => f.id),
    redirectUri: dialog.searchParams.get('redirect_uri'),
    state: dialog.searchParams.get('state'),
  });
  expect(sent.status).toBe(201);
  const { items, returnTo } = (await sent.json()) as { items: ParleyMessage[]; returnTo: string };
  return { items, returnTo, back: await browser.page(returnTo) };
}

function postForm(browser: Browser, url: string, fields: Record<string, string> = {}) {
  return browser.request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

describe('Flicks', () => {
  it('asks Parley only to send, and says plainly that it cannot read', async () => {
    world = await startFlicksWorld();
    const { alice, bob } = await people(world);
    const browser = browserOf(alice);

    const welcome = await browser.page(`${world.app.url}/`);
    expect(welcome.html).toContain('Connect with Parley');
    const start = await browser.request(`${world.app.url}/connect`);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.searchParams.get('scope')!.split(' ').sort()).toEqual([
      'messages.send',
      'openid',
      'profile',
    ]);
    expect(start.headers.get('set-cookie')).toMatch(/^flicks_oauth=/);

    const signedIn = await connected(world, alice);
    const home = await signedIn.page(`${world.app.url}/`);
    // Rendered from /v1/me/permissions: the conclusion, then Parley's own lines.
    expect(home.html).toContain('Flicks cannot read your conversations or see your friends');
    expect(home.html).toContain('Read any conversation');
    expect(home.html).toContain('Delete messages the app itself sent');
    expect(home.html).toContain('Recommend<span class="sr-only"> Midnight Bakery</span>');

    const permissions = await signedIn.page(`${world.app.url}/permissions`);
    expect(permissions.html).toContain('What Flicks can do in your Parley account');
    expect(permissions.html).toContain('Send messages as you');
    expect(permissions.html).not.toContain('Read conversations started through this app');

    // And it is true: with Flicks's own token, Parley shows it no conversation, not even one
    // Flicks started through the share dialog.
    const { items } = await recommend(world, signedIn, 'orbit-of-small-things', [bob]);
    const token = storedData<Stored>(world, 'flicks.json').people[alice.id]!.tokens!.accessToken;
    const read = (path: string) =>
      fetch(`${world!.parley.baseUrl}/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(await (await read('/threads')).json()).toMatchObject({ status: 403, code: 'insufficient_scope' });
    expect((await read(`/threads/${items[0]!.threadId}/messages`)).status).toBeGreaterThanOrEqual(403);
    expect((await read('/me/friends')).status).toBe(403);
  });

  it('recommends through the share dialog, sends a follow-up, and unsends', async () => {
    world = await startFlicksWorld();
    const { alice, bob, carol } = await people(world);
    const browser = await connected(world, alice);

    const { items, back } = await recommend(world, browser, 'midnight-bakery', [bob, carol]);
    expect(items).toHaveLength(2);
    expect(back.url).toMatch(new RegExp(`^${world.app.url}/\\?done=recommended&rec=`));
    expect(back.html).toContain('Recommended “Midnight Bakery” in 2 conversations through Parley.');
    expect(back.html).toContain('Flicks does not know');
    const recId = /action="\/recommendations\/([^/"]+)\/follow-up"/.exec(back.html)?.[1];
    expect(recId).toBeDefined();

    const [toBob, toCarol] = items as [
      ParleyMessage & { threadId: string },
      ParleyMessage & { threadId: string },
    ];
    expect((await messagesIn(world, bob, toBob.threadId))[0]).toMatchObject({
      card: { kind: 'show', title: 'Midnight Bakery' },
      via: { clientId: world.clientId, name: 'Flicks' },
    });
    // Bob answers in Parley; Flicks will never see it, and unsending must leave it alone.
    await client(world.parley.app, bob.cookie).post(`/api/threads/${toBob.threadId}/messages`, {
      text: 'Watching!',
    });

    const followUp = await postForm(browser, `${world.app.url}/recommendations/${recId}/follow-up`, {
      text: 'Start with episode 2 — trust me.',
    });
    expect(followUp.status).toBe(303);
    const afterFollowUp = await browser.page(new URL(followUp.headers.get('location')!, world.app.url).href);
    expect(afterFollowUp.html).toContain('Follow-up about “Midnight Bakery” sent.');
    expect(afterFollowUp.html).toMatch(/transparency log as entries #\d+, #\d+/);
    for (const [person, threadId] of [
      [bob, toBob.threadId],
      [carol, toCarol.threadId],
    ] as const) {
      expect((await messagesIn(world, person, threadId))[0]).toMatchObject({
        author: { id: alice.id },
        text: 'Start with episode 2 — trust me.',
        via: { name: 'Flicks' },
      });
    }

    const unsend = await postForm(browser, `${world.app.url}/recommendations/${recId}/unsend`);
    expect(unsend.status).toBe(303);
    const afterUnsend = await browser.page(new URL(unsend.headers.get('location')!, world.app.url).href);
    expect(afterUnsend.html).toContain('Unsent: “Midnight Bakery” and its follow-ups are gone');
    expect(afterUnsend.html).not.toContain(`/recommendations/${recId}/follow-up`);
    expect((await messagesIn(world, bob, toBob.threadId)).map((m) => m.text)).toEqual(['Watching!']);
    expect(await messagesIn(world, carol, toCarol.threadId)).toEqual([]);
  });

  it('only takes back a share it started, for the person who started it', async () => {
    world = await startFlicksWorld();
    const { alice, bob } = await people(world);
    const browser = await connected(world, alice);
    const bobBrowser = await connected(world, bob);

    // A return link with a state Flicks never gave out is not a recommendation.
    const forged = await browser.request(`${world.app.url}/callback?state=made-up&threads=t1&messages=m1`);
    expect(forged.status).toBe(400);
    await forged.body?.cancel();

    // Alice's return link opened in bob's browser records nothing for either of them.
    const toDialog = await browser.request(`${world.app.url}/shows/salt-and-stone/recommend`);
    const state = new URL(toDialog.headers.get('location')!).searchParams.get('state')!;
    const stolen = await bobBrowser.page(`${world.app.url}/callback?state=${state}&threads=t1&messages=m1`);
    expect(stolen.url).toBe(`${world.app.url}/`);
    expect(stolen.html).not.toContain('Your recommendations');
    expect((await browser.page(`${world.app.url}/`)).html).not.toContain('Your recommendations');
  });

  it('says "Connect again" once the person revokes Flicks in Parley', async () => {
    world = await startFlicksWorld();
    const { alice, bob } = await people(world);
    const browser = await connected(world, alice);
    const { back } = await recommend(world, browser, 'lighthouse-keepers', [bob]);
    const recId = /action="\/recommendations\/([^/"]+)\/follow-up"/.exec(back.html)![1]!;

    expect(
      (await client(world.parley.app, alice.cookie).delete(`/api/apps/${world.clientId}`)).statusCode,
    ).toBe(204);
    const followUp = await postForm(browser, `${world.app.url}/recommendations/${recId}/follow-up`, {
      text: 'Did you start it?',
    });
    expect(followUp.status).toBe(303);
    expect(followUp.headers.get('location')).toBe('/');
    const home = await browser.page(`${world.app.url}/`);
    expect(home.html).toContain('Connect again');
    expect(storedData<Stored>(world, 'flicks.json').people[alice.id]!.tokens).toBeNull();
  });
});
