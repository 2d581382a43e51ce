import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  befriend,
  client,
  signupAll,
  dialects,
  rowCounts,
  startApp,
  type Person,
  type TestApp,
} from './harness.js';

interface Message {
  id: string;
  threadId: string;
  author: { id: string };
  text: string | null;
  card: unknown;
  via: unknown;
}
interface Thread {
  id: string;
  kind: string;
  title: string | null;
  participants: { id: string }[];
  lastMessage: Message | null;
  unreadCount: number;
  readMarkers?: { userId: string; messageId: string }[];
}

describe.each(dialects())('conversations on %s', (dialect) => {
  let t: TestApp;
  let ann: Person;
  let ben: Person;
  let cat: Person;
  let dan: Person;
  beforeEach(async () => {
    t = await startApp(dialect);
    [ann, ben, cat, dan] = await signupAll(t.app, 'ann', 'ben', 'cat', 'dan');
    await befriend(t.app, ann, ben);
    await befriend(t.app, ann, cat);
  });
  afterEach(() => t.close());

  const as = (p: Person) => client(t.app, p.cookie);
  const openDirect = async (a: Person, b: Person) =>
    (await as(a).post('/api/threads', { participants: [b.id] })).json<Thread>();
  const send = async (p: Person, threadId: string, body: object) => {
    const response = await as(p).post(`/api/threads/${threadId}/messages`, body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Message>();
  };

  it('opens one one-to-one conversation per pair', async () => {
    const first = await as(ann).post('/api/threads', { participants: [ben.id] });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      kind: 'direct',
      title: null,
      unreadCount: 0,
      lastMessage: null,
      apps: [],
    });
    const again = await as(ben).post('/api/threads', { participants: [ann.id] });
    expect(again.statusCode).toBe(200);
    expect(again.json<Thread>().id).toBe(first.json<Thread>().id);
  });

  it('creates groups of friends with a title, and only of friends', async () => {
    const group = await as(ann).post('/api/threads', { participants: [ben.id, cat.id], title: 'Book club' });
    expect(group.statusCode).toBe(201);
    expect(group.json<Thread>()).toMatchObject({ kind: 'group', title: 'Book club' });
    expect(
      group
        .json<Thread>()
        .participants.map((p) => p.id)
        .sort(),
    ).toEqual([ann.id, ben.id, cat.id].sort());

    const before = await rowCounts(t.storage);
    const withStranger = await as(ann).post('/api/threads', {
      participants: [ben.id, dan.id],
      title: 'Nope',
    });
    expect(withStranger.statusCode).toBe(403);
    expect(withStranger.json()).toMatchObject({ code: 'not_friends' });
    const untitled = await as(ann).post('/api/threads', { participants: [ben.id, cat.id] });
    expect(untitled.statusCode).toBe(400);
    const onlyMe = await as(ann).post('/api/threads', { participants: [ann.id] });
    expect(onlyMe.statusCode).toBe(400);
    expect(await rowCounts(t.storage)).toEqual(before);
  });

  it('sends text and cards, pages newest first, and lists with last message and unread count', async () => {
    const thread = await openDirect(ann, ben);
    const sent: Message[] = [];
    for (let i = 0; i < 5; i++) sent.push(await send(ann, thread.id, { text: `message ${i}` }));
    const card = {
      kind: 'song',
      title: 'Blue in Green',
      url: 'https://example.com/blue',
      subtitle: 'Miles Davis',
    };
    const withCard = await send(ann, thread.id, { card });
    expect(withCard).toMatchObject({ text: null, card, via: null, author: { id: ann.id } });

    const page1 = (await as(ben).get(`/api/threads/${thread.id}/messages?limit=4`)).json<{
      items: Message[];
      nextCursor?: string;
    }>();
    expect(page1.items.map((m) => m.id)).toEqual([
      withCard.id,
      ...sent
        .slice(2)
        .reverse()
        .map((m) => m.id),
    ]);
    expect(page1.nextCursor).toBe(sent[2]!.id);
    const page2 = (
      await as(ben).get(`/api/threads/${thread.id}/messages?limit=4&before=${page1.nextCursor}`)
    ).json<{ items: Message[]; nextCursor?: string }>();
    expect(page2.items.map((m) => m.text)).toEqual(['message 1', 'message 0']);
    expect(page2.nextCursor).toBeUndefined();

    const benList = (await as(ben).get('/api/threads')).json<{ items: Thread[] }>();
    expect(benList.items).toHaveLength(1);
    expect(benList.items[0]).toMatchObject({
      id: thread.id,
      unreadCount: 6,
      lastMessage: { id: withCard.id },
    });
    // Your own messages are never unread.
    expect((await as(ann).get('/api/threads')).json<{ items: Thread[] }>().items[0]!.unreadCount).toBe(0);

    // Read markers move forward only.
    expect(
      (await as(ben).post(`/api/threads/${thread.id}/read`, { messageId: sent[3]!.id })).statusCode,
    ).toBe(204);
    expect((await as(ben).get('/api/threads')).json<{ items: Thread[] }>().items[0]!.unreadCount).toBe(2);
    expect(
      (await as(ben).post(`/api/threads/${thread.id}/read`, { messageId: sent[0]!.id })).statusCode,
    ).toBe(204);
    expect((await as(ben).get('/api/threads')).json<{ items: Thread[] }>().items[0]!.unreadCount).toBe(2);
    const detail = (await as(ann).get(`/api/threads/${thread.id}`)).json<Thread>();
    expect(detail.readMarkers).toContainEqual({ userId: ben.id, messageId: sent[3]!.id });
  });

  it('orders the list by latest activity and pages it with a cursor', async () => {
    const withBen = await openDirect(ann, ben);
    const withCat = await openDirect(ann, cat);
    const group = (
      await as(ann).post('/api/threads', { participants: [ben.id, cat.id], title: 'All' })
    ).json<Thread>();
    await send(ben, withBen.id, { text: 'newest activity' });
    const first = (await as(ann).get('/api/threads?limit=2')).json<{
      items: Thread[];
      nextCursor?: string;
    }>();
    expect(first.items.map((x) => x.id)).toEqual([withBen.id, group.id]);
    expect(first.nextCursor).toBeDefined();
    const rest = (await as(ann).get(`/api/threads?limit=2&before=${first.nextCursor}`)).json<{
      items: Thread[];
      nextCursor?: string;
    }>();
    expect(rest.items.map((x) => x.id)).toEqual([withCat.id]);
    expect(rest.nextCursor).toBeUndefined();
    const bad = await as(ann).get('/api/threads?before=not-a-cursor');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid_cursor' });
  });

  it('lets the author delete a message for everyone, and no one else', async () => {
    const thread = await openDirect(ann, ben);
    const message = await send(ann, thread.id, { text: 'oops' });
    const keep = await send(ben, thread.id, { text: 'keep me' });
    const byOther = await as(ben).delete(`/api/messages/${message.id}`);
    expect(byOther.statusCode).toBe(403);
    expect(byOther.json()).toMatchObject({ code: 'not_message_author' });
    // Someone outside the conversation learns nothing: the same 404 as a missing message.
    const byStranger = await as(cat).delete(`/api/messages/${message.id}`);
    const missing = await as(cat).delete(`/api/messages/0190a000-0000-7000-8000-000000000000`);
    expect(byStranger.statusCode).toBe(404);
    expect(byStranger.json()).toEqual(missing.json());

    expect((await as(ann).delete(`/api/messages/${message.id}`)).statusCode).toBe(204);
    const left = (await as(ben).get(`/api/threads/${thread.id}/messages`)).json<{ items: Message[] }>();
    expect(left.items.map((m) => m.id)).toEqual([keep.id]);
    expect((await as(ann).delete(`/api/messages/${message.id}`)).statusCode).toBe(404);
  });

  it("hides other people's conversations completely (404, nothing changed)", async () => {
    const thread = await openDirect(ann, ben);
    const message = await send(ann, thread.id, { text: 'private' });
    const before = await rowCounts(t.storage);
    const attempts = [
      as(cat).get(`/api/threads/${thread.id}`),
      as(cat).get(`/api/threads/${thread.id}/messages`),
      as(cat).post(`/api/threads/${thread.id}/messages`, { text: 'let me in' }),
      as(cat).post(`/api/threads/${thread.id}/read`, { messageId: message.id }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'thread_not_found' });
    }
    const unknownThread = await as(cat).get(`/api/threads/0190a000-0000-7000-8000-000000000000`);
    expect(unknownThread.json()).toEqual((await as(cat).get(`/api/threads/${thread.id}`)).json());
    expect((await as(cat).get('/api/threads')).json()).toEqual({ items: [] });
    expect(await rowCounts(t.storage)).toEqual(before);
  });

  it('keeps a conversation going after the friendship ends', async () => {
    const thread = await openDirect(ann, ben);
    expect((await as(ann).delete(`/api/friends/${ben.id}`)).statusCode).toBe(204);
    await send(ben, thread.id, { text: 'still here' });
    // But nobody can be put into a new conversation by an ex-friend.
    const group = await as(ann).post('/api/threads', { participants: [ben.id, cat.id], title: 'New' });
    expect(group.statusCode).toBe(403);
  });
});
