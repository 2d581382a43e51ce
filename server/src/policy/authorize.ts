// THE choke point (DESIGN.md "Authorization"): every read or write of personal data asks
// authorize(actor, action, resource) exactly once. Pure, and deny by default: an action or
// resource it does not know is refused. Services load the facts; this decides.
import { SCOPES, type AppAction, type ScopeName } from './scopes.js';

/** The grant an app's token stands for, as loaded at the time of the request. */
export interface GrantFacts {
  readonly id: string;
  readonly userId: string;
  readonly clientId: string;
  readonly scopes: ReadonlySet<ScopeName>;
  /** Conversations the person ticked for threads.connect. */
  readonly selectedThreadIds: ReadonlySet<string>;
  readonly isRevoked: boolean;
  /** Milliseconds since the epoch: last use plus the configured expiry period. */
  readonly expiresAt: number;
}

export type Actor =
  | { readonly kind: 'person'; readonly userId: string }
  | {
      readonly kind: 'app';
      /** The person the app acts for (the one who granted). */
      readonly userId: string;
      readonly clientId: string;
      readonly grant: GrantFacts;
      /** The request's time, for the expiry check (a clock, not Date.now(), so tests move it). */
      readonly now: number;
    };

export type PersonAction =
  | 'account.read'
  | 'events.subscribe'
  | 'friends.read'
  | 'friends.manage'
  | 'friend_request.respond'
  | 'friend_request.withdraw'
  | 'thread.create'
  | 'thread.list'
  | 'thread.read'
  | 'thread.post'
  | 'thread.mark_read'
  | 'message.delete'
  | 'thread.remove_app'
  | 'apps.manage'
  | 'apps.develop';

export type Action = PersonAction | AppAction;

export const PERSON_ACTIONS: readonly PersonAction[] = [
  'account.read',
  'events.subscribe',
  'friends.read',
  'friends.manage',
  'friend_request.respond',
  'friend_request.withdraw',
  'thread.create',
  'thread.list',
  'thread.read',
  'thread.post',
  'thread.mark_read',
  'message.delete',
  'thread.remove_app',
  'apps.manage',
  'apps.develop',
];

export const APP_ACTIONS: readonly AppAction[] = [
  'grant.read',
  'profile.read',
  'app_friends.read',
  'app_message.send',
  'app_message.delete',
  'app_thread.list',
  'app_thread.read',
  'app_thread.post',
  'app_events.subscribe',
];

export const ACTIONS: readonly Action[] = [...PERSON_ACTIONS, ...APP_ACTIONS];

/** A conversation's facts. */
export interface ThreadFacts {
  readonly memberIds: ReadonlySet<string>;
  /** The app the conversation was started through, if any. */
  readonly originClientId: string | null;
  /** Apps a participant removed from this conversation. */
  readonly removedClientIds: ReadonlySet<string>;
}

/** The facts a decision needs, loaded by the service for the resource at hand. */
export type Resource =
  | { readonly kind: 'account'; readonly userId: string }
  | { readonly kind: 'friend_request'; readonly fromId: string; readonly toId: string }
  /** An app registration in the developer console (or a new one: ownerId = the actor). */
  | { readonly kind: 'app_registration'; readonly ownerId: string }
  | ({ readonly kind: 'thread'; readonly id: string } & ThreadFacts)
  | {
      readonly kind: 'message';
      readonly authorId: string;
      readonly viaClientId: string | null;
      readonly thread: { readonly id: string } & ThreadFacts;
    }
  | {
      readonly kind: 'new_thread';
      /** The other people the actor wants in it. */
      readonly participantIds: readonly string[];
      /** Which of those are the actor's friends. */
      readonly friendIds: ReadonlySet<string>;
    }
  | {
      /** A friend of `ownerId`, as an app would see them. */
      readonly kind: 'friend';
      readonly ownerId: string;
      readonly isFriend: boolean;
      /** The clients this person has an active grant with. */
      readonly connectedClientIds: ReadonlySet<string>;
    };

export type DenyReason =
  | 'not_owner'
  | 'not_party'
  | 'not_member'
  | 'not_author'
  | 'not_friends'
  | 'grant_inactive'
  | 'scope_missing'
  | 'not_selected'
  | 'removed_by_participant'
  | 'not_sent_by_app'
  | 'unsupported';

export type Decision = { readonly allow: true } | { readonly allow: false; readonly reason: DenyReason };

const ALLOW: Decision = { allow: true };
const deny = (reason: DenyReason): Decision => ({ allow: false, reason });

export function authorize(actor: Actor, action: Action, resource: Resource): Decision {
  return actor.kind === 'person'
    ? authorizePerson(actor.userId, action, resource)
    : authorizeApp(actor, action, resource);
}

function authorizePerson(userId: string, action: Action, resource: Resource): Decision {
  switch (action) {
    case 'account.read':
    case 'events.subscribe':
    case 'friends.read':
    case 'friends.manage':
    case 'thread.list':
    case 'apps.manage':
      return resource.kind === 'account' && resource.userId === userId
        ? ALLOW
        : deny(resource.kind === 'account' ? 'not_owner' : 'unsupported');
    case 'apps.develop':
      if (resource.kind !== 'app_registration') return deny('unsupported');
      return resource.ownerId === userId ? ALLOW : deny('not_owner');
    case 'friend_request.respond':
      if (resource.kind !== 'friend_request') return deny('unsupported');
      return resource.toId === userId ? ALLOW : deny('not_party');
    case 'friend_request.withdraw':
      if (resource.kind !== 'friend_request') return deny('unsupported');
      return resource.toId === userId || resource.fromId === userId ? ALLOW : deny('not_party');
    case 'thread.read':
    case 'thread.post':
    case 'thread.mark_read':
    case 'thread.remove_app':
      if (resource.kind !== 'thread') return deny('unsupported');
      return resource.memberIds.has(userId) ? ALLOW : deny('not_member');
    case 'message.delete':
      if (resource.kind !== 'message') return deny('unsupported');
      // A message is visible to the conversation's members only; a non-member learns nothing.
      if (!resource.thread.memberIds.has(userId)) return deny('not_member');
      return resource.authorId === userId ? ALLOW : deny('not_author');
    case 'thread.create':
      if (resource.kind !== 'new_thread') return deny('unsupported');
      // Only friends can put each other in a conversation.
      return resource.participantIds.length > 0 &&
        resource.participantIds.every((id) => resource.friendIds.has(id))
        ? ALLOW
        : deny('not_friends');
    default:
      // App actions are never a person's: a session cannot borrow an app's powers.
      return deny('unsupported');
  }
}

type AppActor = Extract<Actor, { kind: 'app' }>;

function hasScope(actor: AppActor, scope: ScopeName, action: AppAction): boolean {
  return actor.grant.scopes.has(scope) && SCOPES[scope].actions.includes(action);
}

/**
 * Which scope lets the app reach this conversation at all: messages.read for conversations
 * started through the app, threads.connect for the ones the person ticked. Membership of the
 * acting person and removals by participants apply to both.
 */
function threadAccess(
  actor: AppActor,
  action: 'app_thread.read' | 'app_thread.list' | 'app_thread.post',
  thread: { readonly id: string } & ThreadFacts,
): Decision {
  if (!thread.memberIds.has(actor.userId)) return deny('not_member');
  if (thread.removedClientIds.has(actor.clientId)) return deny('removed_by_participant');
  const isOrigin = thread.originClientId === actor.clientId;
  const isSelected = actor.grant.selectedThreadIds.has(thread.id);
  // Reading an app's own conversation needs messages.read; posting in it, messages.send.
  const originScope: ScopeName = action === 'app_thread.post' ? 'messages.send' : 'messages.read';
  const viaOrigin = isOrigin && hasScope(actor, originScope, action);
  const viaSelection = isSelected && hasScope(actor, 'threads.connect', action);
  if (viaOrigin || viaSelection) return ALLOW;
  return isOrigin || isSelected ? deny('scope_missing') : deny('not_selected');
}

function authorizeApp(actor: AppActor, action: Action, resource: Resource): Decision {
  const { grant } = actor;
  // The token's grant must be this app's, for this person, live and unexpired.
  if (grant.clientId !== actor.clientId || grant.userId !== actor.userId) return deny('grant_inactive');
  if (grant.isRevoked || actor.now >= grant.expiresAt) return deny('grant_inactive');

  switch (action) {
    case 'grant.read':
      if (resource.kind !== 'account') return deny('unsupported');
      return resource.userId === actor.userId ? ALLOW : deny('not_owner');
    case 'profile.read':
      if (resource.kind !== 'account') return deny('unsupported');
      if (resource.userId !== actor.userId) return deny('not_owner');
      return hasScope(actor, 'openid', action) || hasScope(actor, 'profile', action)
        ? ALLOW
        : deny('scope_missing');
    case 'app_events.subscribe':
      if (resource.kind !== 'account') return deny('unsupported');
      if (resource.userId !== actor.userId) return deny('not_owner');
      return hasScope(actor, 'messages.read', action) || hasScope(actor, 'threads.connect', action)
        ? ALLOW
        : deny('scope_missing');
    case 'app_friends.read':
      if (resource.kind !== 'friend') return deny('unsupported');
      if (!hasScope(actor, 'friends.read', action)) return deny('scope_missing');
      if (resource.ownerId !== actor.userId || !resource.isFriend) return deny('not_friends');
      // Only friends who have also connected this app: the rest of the friend list stays private.
      return resource.connectedClientIds.has(actor.clientId) ? ALLOW : deny('not_friends');
    case 'app_message.send':
      // Sending to a person: a friend the acting person picked.
      if (resource.kind !== 'friend') return deny('unsupported');
      if (!hasScope(actor, 'messages.send', action)) return deny('scope_missing');
      return resource.ownerId === actor.userId && resource.isFriend ? ALLOW : deny('not_friends');
    case 'app_thread.list':
      // The person's list as a whole: whether the app may read any conversation at all.
      if (resource.kind === 'account') {
        if (resource.userId !== actor.userId) return deny('not_owner');
        return hasScope(actor, 'messages.read', action) || hasScope(actor, 'threads.connect', action)
          ? ALLOW
          : deny('scope_missing');
      }
      if (resource.kind !== 'thread') return deny('unsupported');
      return threadAccess(actor, action, resource);
    case 'app_thread.read':
    case 'app_thread.post':
      if (resource.kind !== 'thread') return deny('unsupported');
      return threadAccess(actor, action, resource);
    case 'app_message.delete':
      if (resource.kind !== 'message') return deny('unsupported');
      if (!resource.thread.memberIds.has(actor.userId)) return deny('not_member');
      // Once a participant removed the app, it does nothing more there, deleting included.
      if (resource.thread.removedClientIds.has(actor.clientId)) return deny('removed_by_participant');
      if (!hasScope(actor, 'messages.send', action)) return deny('scope_missing');
      // Only what this app itself sent, as this person: never anyone else's words.
      return resource.viaClientId === actor.clientId && resource.authorId === actor.userId
        ? ALLOW
        : deny('not_sent_by_app');
    default:
      // Person-only actions (friend requests, account settings, removing apps) are never an app's.
      return deny('unsupported');
  }
}
