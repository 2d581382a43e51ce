// Test-only: a second, deliberately naive statement of who may do what, written from
// DESIGN.md ("Scopes", "Authorization", "Partner API", "First-party API") and read over a
// whole world rather than over the pre-digested facts `authorize` gets. The property test
// (authorize.property.test.ts) checks that the two agree. It imports no code from the policy
// on purpose — only the names of actions and scopes — so a mistake in the scope catalogue or
// in `authorize` cannot be copied into it.
import type { Action } from './authorize.js';
import type { ScopeName } from './scopes.js';

/** DESIGN.md "Scopes (the whole catalogue)", in its order. */
export const DESIGN_SCOPES: readonly ScopeName[] = [
  'openid',
  'profile',
  'offline_access',
  'friends.read',
  'messages.send',
  'messages.read',
  'threads.connect',
];

export interface WorldConversation {
  readonly id: string;
  readonly members: readonly string[];
  /** The app the conversation was started through, or null. */
  readonly originApp: string | null;
  /** "any participant removes an app from a conversation" */
  readonly removals: readonly { readonly app: string; readonly by: string }[];
}

export interface WorldApp {
  readonly id: string;
  /** The developer who registered it. */
  readonly owner: string;
}

export interface WorldGrant {
  readonly id: string;
  readonly person: string;
  readonly app: string;
  readonly scopes: readonly ScopeName[];
  /** Conversations the person ticked on the consent screen (threads.connect). */
  readonly selected: readonly string[];
  readonly revoked: boolean;
  readonly lastUsedAt: number;
}

export interface WorldMessage {
  readonly id: string;
  readonly conversation: string;
  readonly author: string;
  /** The app it was "sent via", or null. */
  readonly viaApp: string | null;
}

export interface World {
  readonly people: readonly string[];
  /** Each friendship once, either way round. */
  readonly friendships: readonly (readonly [string, string])[];
  readonly friendRequests: readonly { readonly id: string; readonly from: string; readonly to: string }[];
  readonly apps: readonly WorldApp[];
  readonly conversations: readonly WorldConversation[];
  readonly grants: readonly WorldGrant[];
  readonly messages: readonly WorldMessage[];
  /** The time of the request. */
  readonly now: number;
  /** PARLEY_GRANT_EXPIRY_DAYS, in milliseconds. */
  readonly expiryMs: number;
}

export type QueryActor =
  | { readonly kind: 'person'; readonly person: string }
  /**
   * An app presenting a token of `grant`, claiming to be `app` acting for `person`. A service
   * takes both from the grant; the test sometimes makes them disagree.
   */
  | { readonly kind: 'app'; readonly grant: string; readonly app: string; readonly person: string };

export type Target =
  | { readonly kind: 'account'; readonly person: string }
  | { readonly kind: 'friend_request'; readonly request: string }
  /** An app's registration in the developer console. */
  | { readonly kind: 'app_registration'; readonly app: string }
  /** Registering a new app. */
  | { readonly kind: 'new_app_registration' }
  | { readonly kind: 'conversation'; readonly conversation: string }
  | { readonly kind: 'message'; readonly message: string }
  /** A conversation the actor wants to start with these people. */
  | { readonly kind: 'new_conversation'; readonly participants: readonly string[] }
  /** `person`, looked at as (possibly) a friend of `owner`. */
  | { readonly kind: 'friend'; readonly owner: string; readonly person: string };

export interface Query {
  readonly actor: QueryActor;
  readonly action: Action;
  readonly target: Target;
}

// ---- Plain look-ups over the world -------------------------------------------------------

function conversationById(world: World, id: string): WorldConversation {
  const found = world.conversations.find((c) => c.id === id);
  if (!found) throw new Error(`no conversation ${id}`);
  return found;
}

function grantById(world: World, id: string): WorldGrant {
  const found = world.grants.find((g) => g.id === id);
  if (!found) throw new Error(`no grant ${id}`);
  return found;
}

export function areFriends(world: World, a: string, b: string): boolean {
  return world.friendships.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
}

function isMember(conversation: WorldConversation, person: string): boolean {
  return conversation.members.includes(person);
}

function wasRemovedBy(conversation: WorldConversation, app: string): boolean {
  return conversation.removals.some((r) => r.app === app);
}

/** "Grants unused for a configured period expire"; revoking stops every token at once. */
export function isGrantLive(world: World, grant: WorldGrant): boolean {
  return !grant.revoked && world.now < grant.lastUsedAt + world.expiryMs;
}

/** "Friends who have also connected this app": they hold a live grant with it. */
export function hasConnected(world: World, person: string, app: string): boolean {
  return world.grants.some((g) => g.person === person && g.app === app && isGrantLive(world, g));
}

// ---- The rules ---------------------------------------------------------------------------

/** Whether the actor may do the action to the target. Anything not listed is refused. */
export function referenceAllows(world: World, query: Query): boolean {
  return query.actor.kind === 'person'
    ? personAllows(world, query.actor.person, query.action, query.target)
    : appAllows(world, query.actor, query.action, query.target);
}

function personAllows(world: World, me: string, action: Action, target: Target): boolean {
  switch (action) {
    // Things about my own account: my profile, my events, my friends, my list of
    // conversations, my connected apps.
    case 'account.read':
    case 'events.subscribe':
    case 'friends.read':
    case 'friends.manage':
    case 'thread.list':
    case 'apps.manage':
      return target.kind === 'account' && target.person === me;

    // The developer console (/api/developer/apps): anyone may register an app; only its
    // developer sees or changes a registration.
    case 'apps.develop':
      if (target.kind === 'new_app_registration') return true;
      if (target.kind !== 'app_registration') return false;
      return world.apps.find((a) => a.id === target.app)!.owner === me;

    // Accept or decline: only the person the request was sent to.
    case 'friend_request.respond': {
      if (target.kind !== 'friend_request') return false;
      const request = world.friendRequests.find((r) => r.id === target.request)!;
      return request.to === me;
    }
    // DELETE /api/friends/requests/:id: "Cancel a request I sent, or decline one I received".
    case 'friend_request.withdraw': {
      if (target.kind !== 'friend_request') return false;
      const request = world.friendRequests.find((r) => r.id === target.request)!;
      return request.from === me || request.to === me;
    }

    // A conversation is its members' business, and only theirs. Any participant may remove
    // an app from it.
    case 'thread.read':
    case 'thread.post':
    case 'thread.mark_read':
    case 'thread.remove_app':
      return target.kind === 'conversation' && isMember(conversationById(world, target.conversation), me);

    // I may delete my own messages (also those an app sent for me), in a conversation I am in.
    case 'message.delete': {
      if (target.kind !== 'message') return false;
      const message = world.messages.find((m) => m.id === target.message)!;
      return message.author === me && isMember(conversationById(world, message.conversation), me);
    }

    // A new conversation: at least one other person, and every other person is my friend.
    case 'thread.create': {
      if (target.kind !== 'new_conversation') return false;
      const others = target.participants.filter((p) => p !== me);
      if (others.length === 0) return false;
      for (const other of others) {
        if (!areFriends(world, me, other)) return false;
      }
      return true;
    }

    // The partner powers are an app's, never a session's.
    case 'grant.read':
    case 'profile.read':
    case 'app_friends.read':
    case 'app_message.send':
    case 'app_message.delete':
    case 'app_thread.list':
    case 'app_thread.read':
    case 'app_thread.post':
    case 'app_events.subscribe':
      return false;
  }
}

function appAllows(
  world: World,
  actor: Extract<QueryActor, { kind: 'app' }>,
  action: Action,
  target: Target,
): boolean {
  const grant = grantById(world, actor.grant);
  const app = actor.app;
  const person = actor.person;
  const has = (scope: ScopeName): boolean => grant.scopes.includes(scope);

  // "Nothing is shared without a grant": the token's grant must be this app's, given by this
  // person, not revoked, and used within the expiry period.
  if (grant.app !== app || grant.person !== person) return false;
  if (!isGrantLive(world, grant)) return false;

  switch (action) {
    // GET /v1/me/permissions: "The partner sees exactly which powers its tokens carry" — any
    // live grant, whatever its scopes, about the person it acts for.
    case 'grant.read':
      return target.kind === 'account' && target.person === person;

    // openid / profile: "the person's id, username, display name, avatar" — the acting
    // person's, nobody else's.
    case 'profile.read':
      return target.kind === 'account' && target.person === person && (has('openid') || has('profile'));

    // GET /v1/events: "new messages in conversations the app may read" — so it needs one of
    // the two scopes that let it read a conversation.
    case 'app_events.subscribe':
      return (
        target.kind === 'account' &&
        target.person === person &&
        (has('messages.read') || has('threads.connect'))
      );

    // friends.read: "the person's friends who have also connected this app".
    case 'app_friends.read':
      return (
        target.kind === 'friend' &&
        has('friends.read') &&
        target.owner === person &&
        areFriends(world, person, target.person) &&
        hasConnected(world, target.person, app)
      );

    // messages.send: "send a message or a share card as the person, to a friend the person
    // picks". The friend need not use the app.
    case 'app_message.send':
      return (
        target.kind === 'friend' &&
        has('messages.send') &&
        target.owner === person &&
        areFriends(world, person, target.person)
      );

    // messages.read: "read messages and participants of conversations started through this
    // app". threads.connect: "read and post in the specific existing conversations the person
    // selects". Either way the person must be in the conversation, and "every other
    // participant ... may remove it".
    // GET /v1/threads as a whole: listing is reading conversations, so it needs a scope that
    // lets the app read one (the list itself then holds only those it may read).
    case 'app_thread.list':
      if (target.kind === 'account') {
        return target.person === person && (has('messages.read') || has('threads.connect'));
      }
      // One conversation in the list: listed exactly when it may be read.
      return appAllows(world, actor, 'app_thread.read', target);
    case 'app_thread.read': {
      if (target.kind !== 'conversation') return false;
      const conversation = conversationById(world, target.conversation);
      if (!isMember(conversation, person)) return false;
      if (wasRemovedBy(conversation, app)) return false;
      const startedHere = conversation.originApp === app && has('messages.read');
      const selected = grant.selected.includes(conversation.id) && has('threads.connect');
      return startedHere || selected;
    }

    // Posting: messages.send in a conversation started through this app (the "chat about it
    // without leaving the player" case), or threads.connect in a selected one.
    case 'app_thread.post': {
      if (target.kind !== 'conversation') return false;
      const conversation = conversationById(world, target.conversation);
      if (!isMember(conversation, person)) return false;
      if (wasRemovedBy(conversation, app)) return false;
      const startedHere = conversation.originApp === app && has('messages.send');
      const selected = grant.selected.includes(conversation.id) && has('threads.connect');
      return startedHere || selected;
    }

    // messages.send: "delete messages the app itself sent"; "No partner power deletes anyone's
    // message but the app's own" — its own, sent as this person, in a conversation the person
    // is still in and that nobody removed the app from.
    case 'app_message.delete': {
      if (target.kind !== 'message') return false;
      const message = world.messages.find((m) => m.id === target.message)!;
      const conversation = conversationById(world, message.conversation);
      return (
        has('messages.send') &&
        message.viaApp === app &&
        message.author === person &&
        isMember(conversation, person) &&
        !wasRemovedBy(conversation, app)
      );
    }

    // A person's own powers (accounts, friend requests, their conversations as such, removing
    // apps) are never an app's.
    case 'account.read':
    case 'events.subscribe':
    case 'friends.read':
    case 'friends.manage':
    case 'friend_request.respond':
    case 'friend_request.withdraw':
    case 'thread.create':
    case 'thread.list':
    case 'thread.read':
    case 'thread.post':
    case 'thread.mark_read':
    case 'message.delete':
    case 'thread.remove_app':
    case 'apps.manage':
    case 'apps.develop':
      return false;
  }
}
