// The live event stream against a real Parley: events arrive as the other person writes, the
// iteration ends when the signal aborts, and a revoked grant ends it with ParleyAuthError.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParleyApiError, ParleyAuthError, type ParleyEvent, type TokenSet } from '../src/index.js';
import { client, revokeApp, say, startWorld, type World } from './live.js';

/** The next event, or a failure after `ms` (so a missing event fails the test instead of hanging it). */
async function nextEvent(
  iterator: AsyncIterator<ParleyEvent>,
  ms = 5000,
): Promise<IteratorResult<ParleyEvent>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no event within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([iterator.next(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('ParleyClient.events against a live Parley', () => {
  let w: World;
  let ann: TokenSet;
  beforeEach(async () => {
    w = await startWorld();
    ann = await w.connect(w.ann, ['openid', 'messages.send', 'messages.read']);
  });
  afterEach(() => w.close());

  it('receives the other person’s messages and deletions, and ends when the signal aborts', async () => {
    const api = w.clientFor(ann);
    const shared = await api.sendMessage({ to: w.bob.id, text: 'Listen to this' });
    const controller = new AbortController();
    const events = api.events({ signal: controller.signal })[Symbol.asyncIterator]();

    expect((await nextEvent(events)).value).toEqual({
      type: 'hello',
      clientId: w.app.clientId,
      userId: w.ann.id,
    });
    const reply = await say(w, w.bob, shared.threadId, 'Love it');
    const created = (await nextEvent(events)).value as ParleyEvent;
    expect(created).toMatchObject({
      type: 'message.created',
      message: {
        id: reply.id,
        threadId: shared.threadId,
        text: 'Love it',
        author: { id: w.bob.id },
        via: null,
      },
    });
    const deleted = await client(w.t.app, w.bob.cookie).delete(`/api/messages/${reply.id}`);
    expect(deleted.statusCode).toBe(204);
    expect((await nextEvent(events)).value).toEqual({
      type: 'message.deleted',
      threadId: shared.threadId,
      messageId: reply.id,
    });

    controller.abort();
    expect(await nextEvent(events)).toEqual({ done: true, value: undefined });
  });

  it('never shows a conversation the app may not read', async () => {
    const api = w.clientFor(ann);
    const controller = new AbortController();
    const events = api.events({ signal: controller.signal })[Symbol.asyncIterator]();
    expect((await nextEvent(events)).value).toMatchObject({ type: 'hello' });
    const direct = (
      await client(w.t.app, w.ann.cookie).post('/api/threads', { participants: [w.bob.id] })
    ).json<{
      id: string;
    }>();
    await say(w, w.bob, direct.id, 'private');
    const shared = await api.sendMessage({ to: w.bob.id, text: 'public' });
    // The app's own message in its conversation arrives; Bob's private one never did.
    expect((await nextEvent(events)).value).toMatchObject({
      type: 'message.created',
      message: { id: shared.id },
    });
    controller.abort();
  });

  it('ends with ParleyAuthError when the person revokes the app', async () => {
    const api = w.clientFor(ann);
    const shared = await api.sendMessage({ to: w.bob.id, text: 'Listen to this' });
    const events = api.events()[Symbol.asyncIterator]();
    expect((await nextEvent(events)).value).toMatchObject({ type: 'hello' });
    await revokeApp(w, w.ann);
    // The server checks the token again with the next event, ends the stream, and refuses the
    // client's reconnection: the revocation surfaces as ParleyAuthError, the event is never seen.
    await say(w, w.bob, shared.threadId, 'after the revocation');
    const ended = await nextEvent(events).catch((e: unknown) => e);
    expect(ended).toBeInstanceOf(ParleyAuthError);
    expect(ended).toMatchObject({ status: 401, code: 'invalid_token' });
  });

  it('opens a dropped stream again, starting with a new hello', async () => {
    // The network drops the first connection: its socket is destroyed on the server's side.
    const sockets: Socket[] = [];
    w.t.app.server.on('request', (request: IncomingMessage) => {
      if (request.url === '/v1/events') sockets.push(request.socket);
    });
    const api = w.clientFor(ann);
    const shared = await api.sendMessage({ to: w.bob.id, text: 'Listen to this' });
    const controller = new AbortController();
    const events = api.events({ signal: controller.signal })[Symbol.asyncIterator]();
    expect((await nextEvent(events)).value).toMatchObject({ type: 'hello' });
    sockets[0]!.destroy();
    expect((await nextEvent(events)).value).toMatchObject({ type: 'hello' });
    expect(sockets).toHaveLength(2);
    const reply = await say(w, w.bob, shared.threadId, 'still there?');
    expect((await nextEvent(events)).value).toMatchObject({
      type: 'message.created',
      message: { id: reply.id },
    });
    controller.abort();
  });

  it('throws the refusal when the token may not subscribe', async () => {
    const sendOnly = await w.connect(w.bob, ['openid', 'messages.send']);
    const events = w.clientFor(sendOnly).events()[Symbol.asyncIterator]();
    const refused = await nextEvent(events).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ParleyApiError);
    expect(refused).toMatchObject({ status: 403, code: 'insufficient_scope' });
  });
});
