// "Apps & access" and the apps in a conversation: what each connected app can do, where, since
// when; revoking it; and any participant removing an app from a conversation.
import type Provider from 'oidc-provider';
import { AppError } from '../errors.js';
import { revokeProviderGrant } from '../oauth/revoke.js';
import type { Actor } from '../policy/authorize.js';
import type { Delivery } from '../realtime/events.js';
import type { ServiceDeps } from './deps.js';
import { appPublic, scopeInfo } from './developer.service.js';
import { currentGrantOf, grantedScopes, grantExpiresAt, grantStatus } from './grants.js';
import { must } from './guard.js';
import { threadRefs } from './thread-labels.js';
import { userView, type UserView } from './views.js';

export interface ThreadAppView {
  clientId: string;
  name: string;
  connectedBy: UserView;
}

export function createAppsService(deps: ServiceDeps & { provider: Provider }) {
  const { storage, clock, bus, provider } = deps;
  const self = (actor: Actor) => ({ kind: 'account', userId: actor.userId }) as const;

  return {
    /** An app's public face (name, developer, links), e.g. for the share dialog. */
    async publicInfo(clientId: string) {
      const app = await storage.repos.apps.find(clientId);
      const owner = app && (await storage.repos.users.findById(app.owner_id));
      if (!app || !owner) throw new AppError('app_not_found');
      return appPublic(app, owner);
    },

    /** The person's grant for this app if it is live and covers what the app registers now. */
    async currentGrantId(userId: string, clientId: string): Promise<string | undefined> {
      return (await currentGrantOf(storage.repos, userId, clientId, deps.grantExpiryDays, clock.now()))?.id;
    },

    async listConnected(actor: Actor) {
      must(actor, 'apps.manage', self(actor), () => new AppError('not_authenticated'));
      const grants = await storage.repos.grants.listLiveForUser(actor.userId);
      const [apps, selections] = await Promise.all([
        storage.repos.apps.findMany(grants.map((g) => g.client_id)),
        storage.repos.grants.selectedThreadsOf(grants.map((g) => g.id)),
      ]);
      const owners = await storage.repos.users.findPublicByIds([...new Set(apps.map((a) => a.owner_id))]);
      const now = clock.now();
      const items = [];
      for (const grant of grants) {
        const app = apps.find((a) => a.client_id === grant.client_id);
        const owner = owners.find((o) => o.id === app?.owner_id);
        if (!app || !owner) continue;
        const selected = [];
        for (const { thread_id } of selections.filter((s) => s.grant_id === grant.id)) {
          const facts = await storage.repos.threads.facts(thread_id);
          // Conversations a participant removed the app from, or the person left, are not its any more.
          if (facts && facts.memberIds.has(actor.userId) && !facts.removedClientIds.has(app.client_id)) {
            const row = await storage.repos.threads.findById(thread_id);
            if (row) selected.push(row);
          }
        }
        items.push({
          app: appPublic(app, owner),
          scopes: grantedScopes(grant).map(scopeInfo),
          threads: await threadRefs(storage.repos, actor.userId, selected),
          grantedAt: grant.created_at,
          lastUsedAt: grant.last_used_at,
          expiresAt: new Date(grantExpiresAt(grant, deps.grantExpiryDays)).toISOString(),
          status:
            grantStatus(grant, deps.grantExpiryDays, now) === 'active'
              ? ('active' as const)
              : ('expired' as const),
        });
      }
      return items;
    },

    /** Revokes the person's grant for an app: every token of it stops at once. */
    async revoke(actor: Actor, clientId: string): Promise<void> {
      must(actor, 'apps.manage', self(actor), () => new AppError('not_authenticated'));
      const grant = await storage.repos.grants.findLive(actor.userId, clientId);
      if (!grant) throw new AppError('app_not_found', 'This app is not connected to your account.');
      await storage.transaction(async (repos) => {
        await repos.grants.revoke(grant.id, clock.now().toISOString());
        await deps.webhooks.grantEnded(repos, grant, 'grant.revoked');
      });
      await revokeProviderGrant(provider, grant.id);
      bus.publish([{ recipients: [actor.userId], event: { type: 'grant.ended', clientId } }]);
    },

    /** The apps that can read a conversation, and who connected each (for every participant to see). */
    async appsOnThread(threadId: string): Promise<ThreadAppView[]> {
      const facts = await storage.repos.threads.facts(threadId);
      if (!facts) return [];
      const now = clock.now();
      const views = new Map<string, ThreadAppView>();
      for (const row of await storage.repos.grants.connectedTo(threadId)) {
        const isLive =
          grantStatus({ revoked_at: null, last_used_at: row.last_used_at }, deps.grantExpiryDays, now) ===
          'active';
        const canRead = grantedScopes(row).includes('threads.connect');
        if (
          !isLive ||
          !canRead ||
          facts.removedClientIds.has(row.client_id) ||
          !facts.memberIds.has(row.user_id)
        )
          continue;
        views.set(row.client_id, {
          clientId: row.client_id,
          name: row.name,
          connectedBy: { id: row.user_id, username: row.username, displayName: row.display_name },
        });
      }
      // The app a conversation was started through reads it with messages.read, for whoever holds that.
      if (
        facts.originClientId &&
        !facts.removedClientIds.has(facts.originClientId) &&
        !views.has(facts.originClientId)
      ) {
        const origin = facts.originClientId;
        const readers = (await storage.repos.grants.liveForUsers([...facts.memberIds])).filter(
          (g) =>
            g.client_id === origin &&
            grantedScopes(g).includes('messages.read') &&
            grantStatus({ revoked_at: null, last_used_at: g.last_used_at }, deps.grantExpiryDays, now) ===
              'active',
        );
        const [app, people] = await Promise.all([
          storage.repos.apps.find(origin),
          storage.repos.users.findPublicByIds(readers.map((r) => r.user_id)),
        ]);
        const person = people[0];
        if (app && person)
          views.set(origin, { clientId: origin, name: app.name, connectedBy: userView(person) });
      }
      return [...views.values()];
    },

    async removeFromThread(actor: Actor, threadId: string, clientId: string): Promise<void> {
      const facts = await storage.repos.threads.facts(threadId);
      must(
        actor,
        'thread.remove_app',
        {
          kind: 'thread',
          ...(facts ?? {
            id: threadId,
            memberIds: new Set(),
            originClientId: null,
            removedClientIds: new Set(),
          }),
        },
        () => new AppError('thread_not_found'),
      );
      if (!(await storage.repos.apps.find(clientId))) throw new AppError('app_not_found');
      await storage.repos.grants.removeAppFromThread(
        threadId,
        clientId,
        actor.userId,
        clock.now().toISOString(),
      );
      const deliveries: Delivery[] = [
        { recipients: [...(facts?.memberIds ?? [])], event: { type: 'thread.apps_changed', threadId } },
      ];
      bus.publish(deliveries);
    },
  };
}

export type AppsService = ReturnType<typeof createAppsService>;
