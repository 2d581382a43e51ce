import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  authorize,
  type Actor,
  type GrantFacts,
  type Resource,
  type ThreadFacts,
} from './authorize.js';
import type { ScopeName } from './scopes.js';

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

describe('authorize (app acting for a person)', () => {
  const NOW = Date.UTC(2026, 0, 1);
  const tunes = (scopes: ScopeName[], more: Partial<GrantFacts> = {}): Actor => ({
    kind: 'app',
    userId: 'alice',
    clientId: 'tunes',
    now: NOW,
    grant: {
      id: 'g1',
      userId: 'alice',
      clientId: 'tunes',
      scopes: new Set(scopes),
      selectedThreadIds: new Set<string>(),
      isRevoked: false,
      expiresAt: NOW + 1,
      ...more,
    },
  });
  const thread = (more: Partial<ThreadFacts> = {}) => ({ ...facts('alice', 'bob'), ...more });
  const startedByTunes = thread({ originClientId: 'tunes' });

  it('reads a conversation started through it with messages.read, posts in it with messages.send', () => {
    const read = tunes(['messages.read']);
    const send = tunes(['messages.send']);
    expect(authorize(read, 'app_thread.read', { kind: 'thread', ...startedByTunes }).allow).toBe(true);
    expect(authorize(read, 'app_thread.post', { kind: 'thread', ...startedByTunes }).allow).toBe(false);
    expect(authorize(send, 'app_thread.post', { kind: 'thread', ...startedByTunes }).allow).toBe(true);
    expect(authorize(send, 'app_thread.read', { kind: 'thread', ...startedByTunes }).allow).toBe(false);
    // Another app's conversation, or one nobody started through an app: nothing.
    expect(authorize(read, 'app_thread.read', { kind: 'thread', ...thread() }).allow).toBe(false);
  });

  it('reads and posts in a selected conversation only with threads.connect', () => {
    const selected = { selectedThreadIds: new Set(['t1']) };
    for (const action of ['app_thread.read', 'app_thread.post'] as const) {
      expect(
        authorize(tunes(['threads.connect'], selected), action, { kind: 'thread', ...thread() }).allow,
      ).toBe(true);
      expect(
        authorize(tunes(['messages.read'], selected), action, { kind: 'thread', ...thread() }).allow,
      ).toBe(false);
    }
  });

  it('stops at the edge of the expiry period, and when revoked', () => {
    const target: Resource = { kind: 'account', userId: 'alice' };
    expect(authorize(tunes(['profile'], { expiresAt: NOW + 1 }), 'profile.read', target).allow).toBe(true);
    expect(authorize(tunes(['profile'], { expiresAt: NOW }), 'profile.read', target)).toEqual({
      allow: false,
      reason: 'grant_inactive',
    });
    expect(authorize(tunes(['profile'], { isRevoked: true }), 'profile.read', target).allow).toBe(false);
  });

  it("deletes only what it sent as this person, never anyone else's words", () => {
    const message = (authorId: string, viaClientId: string | null): Resource => ({
      kind: 'message',
      authorId,
      viaClientId,
      thread: thread(),
    });
    const send = tunes(['messages.send']);
    expect(authorize(send, 'app_message.delete', message('alice', 'tunes')).allow).toBe(true);
    expect(authorize(send, 'app_message.delete', message('alice', null)).allow).toBe(false);
    expect(authorize(send, 'app_message.delete', message('bob', 'tunes')).allow).toBe(false);
    expect(authorize(send, 'app_message.delete', message('alice', 'flicks')).allow).toBe(false);
  });

  // DESIGN.md "Scopes" (threads.connect): every other participant "may remove it" — and then the
  // app has no power left in that conversation, not even over the messages it sent there.
  it('does nothing in a conversation a participant removed it from', () => {
    const removed = thread({
      originClientId: 'tunes',
      removedClientIds: new Set(['tunes']),
    });
    const all = tunes(['messages.read', 'messages.send', 'threads.connect'], {
      selectedThreadIds: new Set(['t1']),
    });
    for (const action of ['app_thread.list', 'app_thread.read', 'app_thread.post'] as const) {
      expect(authorize(all, action, { kind: 'thread', ...removed }).allow, action).toBe(false);
    }
    expect(
      authorize(all, 'app_message.delete', {
        kind: 'message',
        authorId: 'alice',
        viaClientId: 'tunes',
        thread: removed,
      }).allow,
    ).toBe(false);
  });

  it('sees only friends who also connected it', () => {
    const friend = (isFriend: boolean, connected: string[]): Resource => ({
      kind: 'friend',
      ownerId: 'alice',
      isFriend,
      connectedClientIds: new Set(connected),
    });
    const reader = tunes(['friends.read']);
    expect(authorize(reader, 'app_friends.read', friend(true, ['tunes'])).allow).toBe(true);
    expect(authorize(reader, 'app_friends.read', friend(true, ['flicks'])).allow).toBe(false);
    expect(authorize(reader, 'app_friends.read', friend(false, ['tunes'])).allow).toBe(false);
  });
});
