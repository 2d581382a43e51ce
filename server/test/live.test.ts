import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  befriend,
  client,
  signupAll,
  dialects,
  startApp,
  TEST_ORIGIN,
  type Person,
  type TestApp,
} from './harness.js';

type Event = { type: string; [key: string]: unknown };

/** A live connection that collects events and can wait for one. */
async function connect(baseUrl: string, person: Person, origin = TEST_ORIGIN) {
  const socket = new WebSocket(`${baseUrl.replace('http', 'ws')}/api/events`, {
    headers: { cookie: person.cookie, origin },
  });
  const events: Event[] = [];
  const waiters: { match: (e: Event) => boolean; resolve: (e: Event) => void }[] = [];
  socket.on('message', (data) => {
    const event = JSON.parse((data as Buffer).toString('utf8')) as Event;
    events.push(event);
    for (const w of [...waiters]) {
      if (w.match(event)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(event);
      }
    }
  });
  const next = (match: (e: Event) => boolean, timeoutMs = 3000) =>
    new Promise<Event>((resolve, reject) => {
      const found = events.find(match);
      if (found) return resolve(found);
      const timer = setTimeout(
        () => reject(new Error(`no matching event; got ${JSON.stringify(events)}`)),
        timeoutMs,
      );
      waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  await next((e) => e.type === 'hello');
  return { socket, events, next, close: () => socket.close() };
}

describe.each(dialects())('live events on %s', (dialect) => {
  let t: TestApp;
  let baseUrl: string;
  let ann: Person;
  let ben: Person;
  let cat: Person;
  beforeEach(async () => {
    t = await startApp(dialect);
    baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    [ann, ben, cat] = await signupAll(t.app, 'ann', 'ben', 'cat');
    await befriend(t.app, ann, ben);
    await befriend(t.app, ann, cat);
  });
  afterEach(() => t.close());

  it('delivers new and deleted messages and read markers to participants only', async () => {
    const thread = (await client(t.app, ann.cookie).post('/api/threads', { participants: [ben.id] })).json<{
      id: string;
    }>();
    const [annLive, benLive, catLive] = await Promise.all([
      connect(baseUrl, ann),
      connect(baseUrl, ben),
      connect(baseUrl, cat),
    ]);

    const sent = (
      await client(t.app, ann.cookie).post(`/api/threads/${thread.id}/messages`, { text: 'live!' })
    ).json<{ id: string }>();
    const created = await benLive.next((e) => e.type === 'message.created');
    expect(created.message).toMatchObject({ id: sent.id, text: 'live!', threadId: thread.id });
    await annLive.next((e) => e.type === 'message.created');

    await client(t.app, ben.cookie).post(`/api/threads/${thread.id}/read`, { messageId: sent.id });
    expect(await annLive.next((e) => e.type === 'thread.read')).toMatchObject({
      userId: ben.id,
      messageId: sent.id,
    });

    await client(t.app, ann.cookie).delete(`/api/messages/${sent.id}`);
    expect(await benLive.next((e) => e.type === 'message.deleted')).toMatchObject({
      threadId: thread.id,
      messageId: sent.id,
    });

    // Carol is connected the whole time and hears nothing about a conversation she is not in.
    await new Promise((r) => setTimeout(r, 200));
    expect(catLive.events.map((e) => e.type)).toEqual(['hello']);
    for (const c of [annLive, benLive, catLive]) c.close();
  });

  it('tells people they were put in a conversation and that friend requests changed', async () => {
    const catLive = await connect(baseUrl, cat);
    const group = (
      await client(t.app, ann.cookie).post('/api/threads', { participants: [ben.id, cat.id], title: 'Trip' })
    ).json<{ id: string }>();
    expect(await catLive.next((e) => e.type === 'thread.created')).toEqual({
      type: 'thread.created',
      threadId: group.id,
    });
    await client(t.app, ben.cookie).post('/api/friends/requests', { username: 'cat' });
    await catLive.next((e) => e.type === 'friends.changed');
    catLive.close();
  });

  it('refuses a connection without a session or from another origin', async () => {
    const statusOf = (headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(`${baseUrl.replace('http', 'ws')}/api/events`, { headers });
        socket.on('unexpected-response', (req, res) => {
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
        socket.on('error', () => undefined);
        socket.on('open', () => {
          resolve(101);
          socket.close();
        });
      });
    expect(await statusOf({ origin: TEST_ORIGIN })).toBe(401);
    expect(await statusOf({ origin: 'https://evil.example', cookie: ann.cookie })).toBe(403);
    expect(await statusOf({ cookie: ann.cookie })).toBe(403);
  });
});
