// Every ParleyClient method against a real Parley: results typed by the generated types, receipts
// remembered, refusals typed, and the rate limits waited out.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ParleyApiError,
  ParleyAuthError,
  ParleyRateLimitError,
  receiptOf,
  type AccessReceipt,
  type Card,
  type TokenSet,
} from '../src/index.js';
import { client, directThread, manualClock, say, startWorld, type World } from './live.js';

const card: Card = {
  kind: 'song',
  title: 'So What',
  url: 'https://tunes.example/so-what',
  subtitle: 'Miles Davis',
};

describe('ParleyClient against a live Parley', () => {
  let w: World;
  let ann: TokenSet;
  beforeEach(async () => {
    w = await startWorld();
    ann = await w.connect(w.ann, ['openid', 'profile', 'friends.read', 'messages.send', 'messages.read']);
  });
  afterEach(() => w.close());

  it('me, permissions and friends', async () => {
    const client = w.clientFor(ann);
    const me = await client.me();
    expect(me).toEqual({ id: w.ann.id, username: 'ann', displayName: 'Ann' });
    expect(receiptOf(me)).toEqual([expect.any(Number)]);

    const permissions = await client.permissions();
    expect(permissions).toMatchObject({ clientId: w.app.clientId, userId: w.ann.id, threads: [] });
    expect(permissions.scopes.map((s) => s.scope).sort()).toEqual(
      ['friends.read', 'messages.read', 'messages.send', 'openid', 'profile'].sort(),
    );
    expect(permissions.scopes.find((s) => s.scope === 'messages.send')?.can.length).toBeGreaterThan(0);

    // Bob has not connected Tunes: Ann's friends list through Tunes is empty until he does.
    expect((await client.friends()).items).toEqual([]);
    await w.connect(w.bob, ['openid', 'friends.read']);
    const friends = await client.friends();
    expect(friends.items).toEqual([{ id: w.bob.id, username: 'bob', displayName: 'Bob' }]);
    expect(receiptOf(friends)?.length).toBe(1);
  });

  it('sendMessage, threads, messages with paging, deleteMessage', async () => {
    const receipts: AccessReceipt[] = [];
    const client = w.clientFor(ann, { onReceipt: (receipt) => receipts.push(receipt) });
    const first = await client.sendMessage({ to: w.bob.id, text: 'Listen to this', card });
    expect(first).toMatchObject({
      author: { id: w.ann.id, username: 'ann' },
      text: 'Listen to this',
      card,
      via: { clientId: w.app.clientId, name: 'Tunes' },
    });
    const [sentIndex] = receiptOf(first)!;
    expect(receipts).toEqual([{ indexes: [sentIndex], method: 'POST', path: '/v1/messages' }]);

    await say(w, w.bob, first.threadId, 'Love it');
    const third = await client.sendMessage({ to: first.threadId, text: 'Right?' });
    expect(third.threadId).toBe(first.threadId);

    const threads = await client.threads();
    expect(threads.items).toHaveLength(1);
    expect(threads.items[0]).toMatchObject({
      id: first.threadId,
      kind: 'direct',
      participants: expect.arrayContaining([expect.objectContaining({ id: w.bob.id })]) as unknown,
      lastMessage: { id: third.id },
    });

    const page1 = await client.messages(first.threadId, { limit: 2 });
    expect(page1.items.map((m) => m.text)).toEqual(['Right?', 'Love it']);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = await client.messages(first.threadId, { limit: 2, before: page1.nextCursor! });
    expect(page2.items.map((m) => m.id)).toEqual([first.id]);
    expect(page2.nextCursor).toBeUndefined();
    expect(receiptOf(page2)).toEqual([expect.any(Number)]);

    receipts.length = 0;
    await expect(client.deleteMessage(third.id)).resolves.toBeUndefined();
    expect(receipts).toEqual([
      { indexes: [expect.any(Number)], method: 'DELETE', path: `/v1/messages/${third.id}` },
    ]);
    const after = await client.messages(first.threadId);
    expect(after.items.map((m) => m.id)).not.toContain(third.id);
  });

  it('types refusals by their problem type', async () => {
    const client = w.clientFor(ann);
    const direct = await directThread(w, w.ann, w.bob);
    const hidden = await client.messages(direct).catch((e: unknown) => e);
    expect(hidden).toBeInstanceOf(ParleyApiError);
    expect(hidden).toMatchObject({
      status: 404,
      type: 'urn:parley:problem:thread_not_found',
      code: 'thread_not_found',
      title: expect.any(String) as unknown,
    });
    // Bob wrote it; the app may not delete it.
    const { id } = await say(w, w.bob, direct, 'mine');
    const notOurs = await client.deleteMessage(id).catch((e: unknown) => e);
    expect(notOurs).toBeInstanceOf(ParleyApiError);
    expect([403, 404]).toContain((notOurs as ParleyApiError).status);
    const invalid = await client.sendMessage({ to: 'not-an-id', text: 'x' }).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ name: 'ParleyApiError', status: 400, code: 'invalid_request' });

    // messages.send alone reads nothing, not even the conversation it started.
    const sendOnly = w.clientFor(await w.connect(w.bob, ['openid', 'messages.send']));
    const started = await sendOnly.sendMessage({ to: w.ann.id, text: 'hi' });
    const noScope = await sendOnly.messages(started.threadId).catch((e: unknown) => e);
    expect(noScope).toMatchObject({ status: 403, code: 'insufficient_scope' });

    const nobody = w.clientFor({ ...ann, accessToken: 'not-a-token' });
    await expect(nobody.me()).rejects.toBeInstanceOf(ParleyAuthError);
  });

  it('asks an accessToken function before every request', async () => {
    const tokens = ['not-a-token', ann.accessToken];
    let calls = 0;
    const client = w.clientFor(ann, { accessToken: async () => tokens[calls++ % 2]! });
    await expect(client.me()).rejects.toBeInstanceOf(ParleyAuthError);
    await expect(client.me()).resolves.toMatchObject({ id: w.ann.id });
    expect(calls).toBe(2);
  });

  it('the transparency routes: checkpoint, key, proofs, and the app’s own entry', async () => {
    const client = w.clientFor(ann);
    const message = await client.sendMessage({ to: w.bob.id, card });
    const [index] = receiptOf(message)!;
    const key = await client.transparency.key();
    expect(key).toMatch(/^[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/);
    const note = await client.transparency.checkpoint();
    expect(note.startsWith(`${key.split('+')[0]}\n`)).toBe(true);
    expect(note).toContain('\n\n— ');
    const size = Number(note.split('\n')[1]);
    expect(size).toBeGreaterThan(0);
    await expect(client.transparency.inclusionProof(0, size)).resolves.toMatchObject({
      index: 0,
      treeSize: size,
      hashes: expect.any(Array) as unknown,
    });
    await expect(client.transparency.consistencyProof(1, size)).resolves.toMatchObject({ from: 1, to: size });
    await expect(client.transparency.inclusionProof(size, size)).rejects.toMatchObject({ status: 400 });

    const entry = await client.transparency.entry(index!);
    expect(entry).toMatchObject({
      index,
      leaf: expect.any(String) as unknown,
      entry: {
        app: w.app.clientId,
        actor: w.ann.id,
        action: 'app_message.send',
        messages: [message.id],
        subjects: expect.arrayContaining([w.ann.id, w.bob.id]) as unknown,
      },
    });
    // Another person's entries are not this token's to read.
    const bob = await w.connect(w.bob, ['openid', 'profile']);
    await expect(w.clientFor(bob).transparency.entry(index!)).rejects.toMatchObject({ status: 404 });
  });
});

describe('rate limits against a live Parley', () => {
  // The server's rate limiter runs on this clock: tokens come back only when the test moves it.
  const clock = manualClock(new Date());
  let w: World;
  let ann: TokenSet;
  beforeEach(async () => {
    w = await startWorld({ clock });
    ann = await w.connect(w.ann, ['openid', 'messages.send']);
  });
  afterEach(() => w.close());

  // Per app and person: bursts of 60, then 5 a second (server/src/http/plugins/bearer.ts).
  const BURST = 60;

  /** Spends the whole burst. */
  async function drain(count = BURST): Promise<void> {
    const results = await Promise.all(Array.from({ length: count }, () => w.clientFor(ann).me()));
    expect(results).toHaveLength(count);
  }

  /** A fetch that records each response's status and, like time passing, moves the clock 1 s after a 429. */
  function waitingClock() {
    const statuses: number[] = [];
    const recorder: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      statuses.push(response.status);
      if (response.status === 429) clock.advance(1000);
      return response;
    };
    return { statuses, fetch: recorder };
  }

  it('waits out 429 Retry-After and retries, a GET and sending a message alike', async () => {
    await drain();
    const get = waitingClock();
    const startedAt = Date.now();
    await expect(w.clientFor(ann, { fetch: get.fetch }).me()).resolves.toMatchObject({ id: w.ann.id });
    expect(get.statuses).toEqual([429, 200]);
    // Retry-After is whole seconds: the client waited one.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1000);

    await drain(4);
    const post = waitingClock();
    const sent = await w.clientFor(ann, { fetch: post.fetch }).sendMessage({ to: w.bob.id, text: 'once' });
    expect(post.statuses).toEqual([429, 201]);
    // The refused send wrote nothing: the conversation has exactly one message.
    const messages = (
      await client(w.t.app, w.bob.cookie).get(`/api/threads/${sent.threadId}/messages`)
    ).json<{
      items: { id: string }[];
    }>();
    expect(messages.items.map((m) => m.id)).toEqual([sent.id]);
  });

  it('throws ParleyRateLimitError when retries are off, run out, or the wait is too long', async () => {
    await drain();
    for (const options of [{ maxRetries: 0 }, { maxRetryDelayMs: 500 }]) {
      const statuses: number[] = [];
      const recorder: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        statuses.push(response.status);
        return response;
      };
      const error = await w
        .clientFor(ann, { ...options, fetch: recorder })
        .me()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ParleyRateLimitError);
      expect(error).toMatchObject({ status: 429, code: 'rate_limited', retryAfterSeconds: 1 });
      // Not sent again.
      expect(statuses).toEqual([429]);
    }
    // Two retries (the default) that find the limit still reached: three attempts, then the error.
    const statuses: number[] = [];
    const recorder: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      statuses.push(response.status);
      return response;
    };
    await expect(w.clientFor(ann, { fetch: recorder }).me()).rejects.toBeInstanceOf(ParleyRateLimitError);
    expect(statuses).toEqual([429, 429, 429]);
  });
});
