import { describe, expect, it } from 'vitest';
import { ACTIONS, authorize, type Actor, type Resource } from './authorize.js';

const alice: Actor = { kind: 'person', userId: 'alice' };
const facts = (...ids: string[]) => ({
  id: 't1',
  memberIds: new Set(ids),
  originClientId: null,
  removedClientIds: new Set<string>(),
});
const members = (...ids: string[]) => ({ kind: 'thread', ...facts(...ids) }) as const;

describe('authorize (person)', () => {
  it('lets members read, post and mark read, and no one else', () => {
    for (const action of ['thread.read', 'thread.post', 'thread.mark_read'] as const) {
      expect(authorize(alice, action, members('alice', 'bob'))).toEqual({ allow: true });
      expect(authorize(alice, action, members('bob', 'carol'))).toEqual({
        allow: false,
        reason: 'not_member',
      });
    }
  });

  it('lets only the author delete a message, and tells non-members nothing more', () => {
    const message = (authorId: string, ...ids: string[]): Resource => ({
      kind: 'message',
      authorId,
      viaClientId: null,
      thread: facts(...ids),
    });
    expect(authorize(alice, 'message.delete', message('alice', 'alice', 'bob'))).toEqual({ allow: true });
    expect(authorize(alice, 'message.delete', message('bob', 'alice', 'bob'))).toEqual({
      allow: false,
      reason: 'not_author',
    });
    // Even her own message id in a conversation she left reveals nothing.
    expect(authorize(alice, 'message.delete', message('alice', 'bob'))).toEqual({
      allow: false,
      reason: 'not_member',
    });
  });

  it('puts only friends in a new conversation', () => {
    const draft = (ids: string[], friends: string[]): Resource => ({
      kind: 'new_thread',
      participantIds: ids,
      friendIds: new Set(friends),
    });
    expect(authorize(alice, 'thread.create', draft(['bob'], ['bob']))).toEqual({ allow: true });
    expect(authorize(alice, 'thread.create', draft(['bob', 'carol'], ['bob'])).allow).toBe(false);
    expect(authorize(alice, 'thread.create', draft([], [])).allow).toBe(false);
  });

  it('lets the recipient answer a friend request and either side withdraw it', () => {
    const toAlice: Resource = { kind: 'friend_request', fromId: 'bob', toId: 'alice' };
    const fromAlice: Resource = { kind: 'friend_request', fromId: 'alice', toId: 'bob' };
    const between: Resource = { kind: 'friend_request', fromId: 'bob', toId: 'carol' };
    expect(authorize(alice, 'friend_request.respond', toAlice).allow).toBe(true);
    expect(authorize(alice, 'friend_request.respond', fromAlice).allow).toBe(false);
    expect(authorize(alice, 'friend_request.withdraw', fromAlice).allow).toBe(true);
    expect(authorize(alice, 'friend_request.withdraw', toAlice).allow).toBe(true);
    expect(authorize(alice, 'friend_request.withdraw', between).allow).toBe(false);
  });

  it("limits account actions to one's own account", () => {
    for (const action of [
      'account.read',
      'friends.read',
      'friends.manage',
      'thread.list',
      'events.subscribe',
    ] as const) {
      expect(authorize(alice, action, { kind: 'account', userId: 'alice' }).allow).toBe(true);
      expect(authorize(alice, action, { kind: 'account', userId: 'bob' }).allow).toBe(false);
    }
  });

  it('denies every action on a resource of the wrong kind (deny by default)', () => {
    const resources: Resource[] = [
      { kind: 'account', userId: 'alice' },
      members('alice'),
      { kind: 'message', authorId: 'alice', viaClientId: null, thread: facts('alice') },
      { kind: 'new_thread', participantIds: ['bob'], friendIds: new Set(['bob']) },
      { kind: 'friend_request', fromId: 'alice', toId: 'alice' },
    ];
    for (const action of ACTIONS) {
      const allowedKinds = resources.filter((r) => authorize(alice, action, r).allow).map((r) => r.kind);
      expect(allowedKinds.length, action).toBeLessThanOrEqual(1);
    }
  });
});
