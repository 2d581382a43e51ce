// Friends: requests by username, accept, decline, withdraw, remove.
import { AppError } from '../errors.js';
import { newId } from '../lib/ids.js';
import { authorize, type Action, type Actor, type Resource } from '../policy/authorize.js';
import type { Delivery } from '../realtime/events.js';
import { isUniqueViolation } from '../storage/database.js';
import type { FriendRequestRow } from '../storage/repositories/friend.repository.js';
import type { ServiceDeps } from './deps.js';
import { grantStatus } from './grants.js';
import { insufficientScope, must } from './guard.js';
import type { AppActor } from './partner-auth.service.js';
import { accessOf } from './transparency.service.js';
import type { UserView } from './views.js';

export interface FriendRequestView {
  id: string;
  from: UserView;
  to: UserView;
  createdAt: string;
  status: 'pending' | 'accepted';
}

export interface FriendView {
  user: UserView;
  since: string;
}

function requestView(row: FriendRequestRow, status: FriendRequestView['status']): FriendRequestView {
  return {
    id: row.id,
    from: { id: row.from_user_id, username: row.from_username, displayName: row.from_display_name },
    to: { id: row.to_user_id, username: row.to_username, displayName: row.to_display_name },
    createdAt: row.created_at,
    status,
  };
}

const friendsChanged = (...userIds: string[]): Delivery[] => [
  { recipients: userIds, event: { type: 'friends.changed' } },
];

export function createFriendService(deps: ServiceDeps) {
  const { storage, bus, clock } = deps;
  const self = (actor: Actor): Resource => ({ kind: 'account', userId: actor.userId });

  async function loadRequest(actor: Actor, id: string, action: Action): Promise<FriendRequestRow> {
    const row = await storage.repos.friends.findRequest(id);
    const notFound = () => new AppError('friend_request_not_found');
    if (!row) throw notFound();
    must(actor, action, { kind: 'friend_request', fromId: row.from_user_id, toId: row.to_user_id }, notFound);
    return row;
  }

  /** Turns a pending request into a friendship, in one transaction. */
  async function acceptRow(row: FriendRequestRow): Promise<string> {
    const since = clock.now().toISOString();
    await storage.transaction(async (repos) => {
      await repos.friends.deleteRequest(row.id);
      if (!(await repos.friends.areFriends(row.from_user_id, row.to_user_id))) {
        await repos.friends.insertFriendship(row.from_user_id, row.to_user_id, since);
      }
    });
    bus.publish(friendsChanged(row.from_user_id, row.to_user_id));
    return since;
  }

  return {
    async list(actor: Actor): Promise<FriendView[]> {
      must(actor, 'friends.read', self(actor), () => new AppError('not_authenticated'));
      const rows = await storage.repos.friends.listFriends(actor.userId);
      return rows.map((r) => ({
        user: { id: r.id, username: r.username, displayName: r.display_name },
        since: r.since,
      }));
    },

    /** friends.read: only the friends who have also connected this app (each one a decision). */
    async listForApp(actor: AppActor): Promise<UserView[]> {
      const friends = await storage.repos.friends.listFriends(actor.userId);
      const grants = await storage.repos.grants.liveForUsers(friends.map((f) => f.id));
      const now = clock.now();
      const visible: UserView[] = [];
      for (const friend of friends) {
        const connectedClientIds = new Set(
          grants
            .filter(
              (g) =>
                g.user_id === friend.id &&
                grantStatus({ revoked_at: null, last_used_at: g.last_used_at }, deps.grantExpiryDays, now) ===
                  'active',
            )
            .map((g) => g.client_id),
        );
        const decision = authorize(actor, 'app_friends.read', {
          kind: 'friend',
          ownerId: actor.userId,
          isFriend: true,
          connectedClientIds,
        });
        if (!decision.allow && decision.reason === 'scope_missing')
          throw insufficientScope('reading friends');
        if (decision.allow)
          visible.push({ id: friend.id, username: friend.username, displayName: friend.display_name });
      }
      await deps.accessLog.recordAlone({
        ...accessOf(actor, 'app_friends.read'),
        resources: {},
        subjects: [actor.userId, ...visible.map((f) => f.id)],
      });
      return visible;
    },

    async listRequests(actor: Actor) {
      must(actor, 'friends.read', self(actor), () => new AppError('not_authenticated'));
      const [incoming, outgoing] = await Promise.all([
        storage.repos.friends.listRequestsTo(actor.userId),
        storage.repos.friends.listRequestsFrom(actor.userId),
      ]);
      return {
        incoming: incoming.map((r) => requestView(r, 'pending')),
        outgoing: outgoing.map((r) => requestView(r, 'pending')),
      };
    },

    /** Asks `username` to be friends; if they had already asked, that request is accepted. */
    async request(actor: Actor, username: string): Promise<FriendRequestView> {
      must(actor, 'friends.manage', self(actor), () => new AppError('not_authenticated'));
      const target = await storage.repos.users.findByUsername(username);
      if (!target) throw new AppError('user_not_found', `Nobody is called "${username}".`);
      if (target.id === actor.userId) {
        throw new AppError('invalid_request', 'You cannot send a friend request to yourself.');
      }
      if (await storage.repos.friends.areFriends(actor.userId, target.id)) {
        throw new AppError('already_friends', `You and ${target.display_name} are already friends.`);
      }
      const theirs = await storage.repos.friends.findRequestBetween(target.id, actor.userId);
      if (theirs) {
        await acceptRow(theirs);
        return requestView(theirs, 'accepted');
      }
      const id = newId();
      try {
        await storage.repos.friends.insertRequest({
          id,
          from_user_id: actor.userId,
          to_user_id: target.id,
          created_at: clock.now().toISOString(),
        });
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new AppError('friend_request_exists', `You already asked ${target.display_name}.`);
        }
        throw error;
      }
      bus.publish(friendsChanged(actor.userId, target.id));
      const row = await storage.repos.friends.findRequest(id);
      if (!row) throw new AppError('friend_request_not_found');
      return requestView(row, 'pending');
    },

    async accept(actor: Actor, requestId: string): Promise<FriendView> {
      const row = await loadRequest(actor, requestId, 'friend_request.respond');
      const since = await acceptRow(row);
      return {
        user: { id: row.from_user_id, username: row.from_username, displayName: row.from_display_name },
        since,
      };
    },

    async decline(actor: Actor, requestId: string): Promise<void> {
      const row = await loadRequest(actor, requestId, 'friend_request.respond');
      await storage.repos.friends.deleteRequest(row.id);
      bus.publish(friendsChanged(row.from_user_id, row.to_user_id));
    },

    async withdraw(actor: Actor, requestId: string): Promise<void> {
      const row = await loadRequest(actor, requestId, 'friend_request.withdraw');
      await storage.repos.friends.deleteRequest(row.id);
      bus.publish(friendsChanged(row.from_user_id, row.to_user_id));
    },

    async remove(actor: Actor, friendId: string): Promise<void> {
      must(actor, 'friends.manage', self(actor), () => new AppError('not_authenticated'));
      const existed = await storage.repos.friends.deleteFriendship(actor.userId, friendId);
      if (!existed) throw new AppError('friend_not_found');
      bus.publish(friendsChanged(actor.userId, friendId));
    },
  };
}

export type FriendService = ReturnType<typeof createFriendService>;
