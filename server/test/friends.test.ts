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

interface FriendRequest {
  id: string;
  from: { id: string };
  to: { id: string };
  status: string;
}

describe.each(dialects())('friends on %s', (dialect) => {
  let t: TestApp;
  let ann: Person;
  let ben: Person;
  let cat: Person;
  beforeEach(async () => {
    t = await startApp(dialect);
    [ann, ben, cat] = await signupAll(t.app, 'ann', 'ben', 'cat');
  });
  afterEach(() => t.close());

  const friendIds = async (p: Person) =>
    (await client(t.app, p.cookie).get('/api/friends'))
      .json<{ items: { user: { id: string } }[] }>()
      .items.map((f) => f.user.id);

  it('requests by username, lists both sides, and accepting makes friends both ways', async () => {
    const sent = await client(t.app, ann.cookie).post('/api/friends/requests', { username: 'ben' });
    expect(sent.statusCode).toBe(201);
    const request = sent.json<FriendRequest>();
    expect(request).toMatchObject({ from: { id: ann.id }, to: { id: ben.id }, status: 'pending' });

    const annSide = (await client(t.app, ann.cookie).get('/api/friends/requests')).json<{
      incoming: FriendRequest[];
      outgoing: FriendRequest[];
    }>();
    const benSide = (await client(t.app, ben.cookie).get('/api/friends/requests')).json<{
      incoming: FriendRequest[];
      outgoing: FriendRequest[];
    }>();
    expect(annSide.outgoing.map((r) => r.id)).toEqual([request.id]);
    expect(annSide.incoming).toEqual([]);
    expect(benSide.incoming.map((r) => r.id)).toEqual([request.id]);

    // The sender cannot accept their own request.
    expect(
      (await client(t.app, ann.cookie).post(`/api/friends/requests/${request.id}/accept`)).statusCode,
    ).toBe(404);
    const accepted = await client(t.app, ben.cookie).post(`/api/friends/requests/${request.id}/accept`);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ user: { id: ann.id, username: 'ann' } });
    expect(await friendIds(ann)).toEqual([ben.id]);
    expect(await friendIds(ben)).toEqual([ann.id]);
    expect((await client(t.app, ben.cookie).get('/api/friends/requests')).json()).toEqual({
      incoming: [],
      outgoing: [],
    });
  });

  it('accepts at once when the other person had already asked', async () => {
    await client(t.app, ann.cookie).post('/api/friends/requests', { username: 'ben' });
    const back = await client(t.app, ben.cookie).post('/api/friends/requests', { username: 'ann' });
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({ status: 'accepted' });
    expect(await friendIds(ben)).toEqual([ann.id]);
  });

  it('declines, cancels and removes', async () => {
    const toBen = (
      await client(t.app, ann.cookie).post('/api/friends/requests', { username: 'ben' })
    ).json<FriendRequest>();
    expect(
      (await client(t.app, ben.cookie).post(`/api/friends/requests/${toBen.id}/decline`)).statusCode,
    ).toBe(204);
    expect(await friendIds(ann)).toEqual([]);

    const toCat = (
      await client(t.app, ann.cookie).post('/api/friends/requests', { username: 'cat' })
    ).json<FriendRequest>();
    // A stranger to the request cannot cancel it.
    expect((await client(t.app, ben.cookie).delete(`/api/friends/requests/${toCat.id}`)).statusCode).toBe(
      404,
    );
    expect((await client(t.app, ann.cookie).delete(`/api/friends/requests/${toCat.id}`)).statusCode).toBe(
      204,
    );
    expect((await client(t.app, cat.cookie).get('/api/friends/requests')).json()).toEqual({
      incoming: [],
      outgoing: [],
    });

    await befriend(t.app, ann, cat);
    expect((await client(t.app, cat.cookie).delete(`/api/friends/${ann.id}`)).statusCode).toBe(204);
    expect(await friendIds(ann)).toEqual([]);
    expect((await client(t.app, cat.cookie).delete(`/api/friends/${ann.id}`)).statusCode).toBe(404);
  });

  it('refuses requests to yourself, to unknown people, twice, or to friends — changing nothing', async () => {
    await befriend(t.app, ann, cat);
    await client(t.app, ann.cookie).post('/api/friends/requests', { username: 'ben' });
    const before = await rowCounts(t.storage);
    const cases: [string, number, string][] = [
      ['ann', 400, 'invalid_request'],
      ['nobody_here', 404, 'user_not_found'],
      ['ben', 409, 'friend_request_exists'],
      ['cat', 409, 'already_friends'],
    ];
    for (const [username, status, code] of cases) {
      const response = await client(t.app, ann.cookie).post('/api/friends/requests', { username });
      expect(response.statusCode, username).toBe(status);
      expect(response.json(), username).toMatchObject({ code });
    }
    expect(await rowCounts(t.storage)).toEqual(before);
  });
});
