// THE choke point (DESIGN.md "Authorization"): every read or write of personal data asks
// authorize(actor, action, resource) exactly once. Pure, and deny by default: an action or
// resource it does not know is refused. Services load the facts; this decides.

export type Actor = { readonly kind: 'person'; readonly userId: string };

export type Action =
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
  | 'message.delete';

export const ACTIONS: readonly Action[] = [
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
];

/** The facts a decision needs, loaded by the service for the resource at hand. */
export type Resource =
  | { readonly kind: 'account'; readonly userId: string }
  | { readonly kind: 'friend_request'; readonly fromId: string; readonly toId: string }
  | { readonly kind: 'thread'; readonly memberIds: ReadonlySet<string> }
  | {
      readonly kind: 'message';
      readonly threadMemberIds: ReadonlySet<string>;
      readonly authorId: string;
    }
  | {
      readonly kind: 'new_thread';
      /** The other people the actor wants in it. */
      readonly participantIds: readonly string[];
      /** Which of those are the actor's friends. */
      readonly friendIds: ReadonlySet<string>;
    };

export type DenyReason =
  'not_owner' | 'not_party' | 'not_member' | 'not_author' | 'not_friends' | 'unsupported';

export type Decision = { readonly allow: true } | { readonly allow: false; readonly reason: DenyReason };

const ALLOW: Decision = { allow: true };
const deny = (reason: DenyReason): Decision => ({ allow: false, reason });

export function authorize(actor: Actor, action: Action, resource: Resource): Decision {
  switch (action) {
    case 'account.read':
    case 'events.subscribe':
    case 'friends.read':
    case 'friends.manage':
    case 'thread.list':
      return resource.kind === 'account' && resource.userId === actor.userId
        ? ALLOW
        : deny(resource.kind === 'account' ? 'not_owner' : 'unsupported');
    case 'friend_request.respond':
      if (resource.kind !== 'friend_request') return deny('unsupported');
      return resource.toId === actor.userId ? ALLOW : deny('not_party');
    case 'friend_request.withdraw':
      if (resource.kind !== 'friend_request') return deny('unsupported');
      return resource.toId === actor.userId || resource.fromId === actor.userId ? ALLOW : deny('not_party');
    case 'thread.read':
    case 'thread.post':
    case 'thread.mark_read':
      if (resource.kind !== 'thread') return deny('unsupported');
      return resource.memberIds.has(actor.userId) ? ALLOW : deny('not_member');
    case 'message.delete':
      if (resource.kind !== 'message') return deny('unsupported');
      // A message is visible to the conversation's members only; a non-member learns nothing.
      if (!resource.threadMemberIds.has(actor.userId)) return deny('not_member');
      return resource.authorId === actor.userId ? ALLOW : deny('not_author');
    case 'thread.create':
      if (resource.kind !== 'new_thread') return deny('unsupported');
      // Only friends can put each other in a conversation.
      return resource.participantIds.length > 0 &&
        resource.participantIds.every((id) => resource.friendIds.has(id))
        ? ALLOW
        : deny('not_friends');
    default:
      return deny('unsupported');
  }
}
