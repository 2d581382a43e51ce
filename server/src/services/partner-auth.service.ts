// Turns a partner's bearer token into an Actor, checked locally (no introspection round trip):
// the token must exist, be for the partner API, and stand for a grant that is live in Parley's
// own records now — revocation and expiry take effect at once, whatever the token says.
import { AppError } from '../errors.js';
import { boundSessionUid, liveAccessToken } from '../oauth/access-token.js';
import { hashId } from '../oauth/adapter.js';
import type { Actor } from '../policy/authorize.js';
import { SCOPES } from '../policy/scopes.js';
import type { ServiceDeps } from './deps.js';
import { grantFacts, grantStatus } from './grants.js';

/** Record use at most this often, so a busy app does not write on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export type AppActor = Extract<Actor, { kind: 'app' }>;

const invalid = (description: string) =>
  new AppError('invalid_token', description, {
    'www-authenticate': `Bearer error="invalid_token", error_description="${description}"`,
  });

export function createPartnerAuthService(deps: ServiceDeps & { apiResource: string }) {
  const { storage, clock } = deps;

  return {
    async actorForToken(token: string): Promise<AppActor> {
      // The token, its grant, the grant's conversations and the provider session the token may
      // be bound to, in one read; checked as the library checks it (oauth/access-token.ts).
      const found = await storage.repos.oidc.findAccessToken(hashId(token));
      if (!found) throw invalid('The access token is unknown, expired or revoked.');
      // Rows written before the session column existed name their session only in the payload.
      const legacyUid = found.sessionUid === null ? boundSessionUid(found.payload) : null;
      const session =
        legacyUid === null
          ? found.session
          : ((await storage.repos.oidc.findByUid('Session', legacyUid))?.payload ?? null);
      const accessToken = liveAccessToken({ payload: found.payload, session }, Math.floor(Date.now() / 1000));
      if (!accessToken) throw invalid('The access token is unknown, expired or revoked.');
      if (!accessToken.audiences.includes(deps.apiResource))
        throw invalid('This token is not for the Parley API.');
      const { grant } = found;
      if (!grant || grant.client_id !== accessToken.clientId || grant.user_id !== accessToken.accountId) {
        throw invalid('The grant behind this token no longer exists.');
      }
      const now = clock.now();
      const status = grantStatus(grant, deps.grantExpiryDays, now);
      if (status === 'expired') {
        // The app learns it too (queued once per grant by the webhook sink).
        await storage.transaction((repos) => deps.webhooks.grantEnded(repos, grant, 'grant.expired'));
      }
      if (status !== 'active') throw invalid(`The grant was ${status}; ask the person to connect again.`);
      const selected = found.selectedThreadIds;
      const facts = grantFacts(grant, selected, deps.grantExpiryDays);
      // A token may carry fewer API scopes than the grant (a narrower request), never more. The
      // protocol scopes (openid, profile, offline_access) are the grant's: resource-bound tokens
      // do not list them.
      const tokenScopes = accessToken.scopes;
      const scopes = new Set(
        [...facts.scopes].filter((s) => SCOPES[s].isProtocolScope || tokenScopes.has(s)),
      );
      if (now.getTime() - Date.parse(grant.last_used_at) > TOUCH_INTERVAL_MS) {
        await storage.repos.grants.touch(grant.id, now.toISOString());
      }
      return {
        kind: 'app',
        userId: grant.user_id,
        clientId: grant.client_id,
        grant: { ...facts, scopes },
        now: now.getTime(),
      };
    },
  };
}

export type PartnerAuthService = ReturnType<typeof createPartnerAuthService>;
