// The partner API's use-cases (DESIGN.md "Partner API"). Each asks `authorize` with the app
// actor, so an app can do exactly what its grant's scopes say, where the facts allow it.
import { AppError } from '../errors.js';
import type { Actor } from '../policy/authorize.js';
import { SCOPES } from '../policy/scopes.js';
import type { ServiceDeps } from './deps.js';
import { insufficientScope, must } from './guard.js';
import type { AppActor } from './partner-auth.service.js';
import { accessOf } from './transparency.service.js';
import { threadRefs } from './thread-labels.js';

export function createPartnerService(deps: ServiceDeps) {
  const { storage } = deps;
  const self = (actor: Actor) => ({ kind: 'account', userId: actor.userId }) as const;

  return {
    /** Counts a successful partner request by action, for the developer console's usage table. */
    recordUsage(actor: AppActor, action: string): void {
      deps.usage.count(actor.clientId, action);
    },

    async me(actor: AppActor) {
      must(actor, 'profile.read', self(actor), () => insufficientScope('reading the profile'));
      const user = await storage.repos.users.findById(actor.userId);
      if (!user) throw new AppError('user_not_found');
      await deps.accessLog.recordAlone({
        ...accessOf(actor, 'profile.read'),
        resources: {},
        subjects: [actor.userId],
      });
      const hasProfile = actor.grant.scopes.has('profile');
      return {
        id: user.id,
        ...(hasProfile ? { username: user.username, displayName: user.display_name } : {}),
      };
    },

    /** What this token can do, told plainly to the partner: it always tells the truth. */
    async permissions(actor: AppActor) {
      must(actor, 'grant.read', self(actor), () => insufficientScope('reading its permissions'));
      const selected = [...actor.grant.selectedThreadIds];
      const facts = await Promise.all(selected.map((id) => storage.repos.threads.facts(id)));
      const reachable = selected.filter((id, i) => {
        const f = facts[i];
        return f && f.memberIds.has(actor.userId) && !f.removedClientIds.has(actor.clientId);
      });
      const rows = (await Promise.all(reachable.map((id) => storage.repos.threads.findById(id)))).flatMap(
        (r) => (r ? [r] : []),
      );
      const threads = await threadRefs(storage.repos, actor.userId, rows);
      // The chosen conversations' participants are named here: that is a disclosure too.
      await deps.accessLog.recordAlone({
        ...accessOf(actor, 'grant.read'),
        resources: { threadIds: threads.map((t) => t.id) },
        subjects: [actor.userId, ...threads.flatMap((t) => t.participants.map((p) => p.id))],
      });
      return {
        clientId: actor.clientId,
        userId: actor.userId,
        grantId: actor.grant.id,
        scopes: [...actor.grant.scopes].map((name) => ({
          scope: name,
          title: SCOPES[name].title,
          can: [...SCOPES[name].can],
          cannot: [...SCOPES[name].cannot],
        })),
        threads,
        expiresAt: new Date(actor.grant.expiresAt).toISOString(),
      };
    },
  };
}

export type PartnerService = ReturnType<typeof createPartnerService>;
