// Turns a partner's bearer token into an Actor, checked locally (no introspection round trip):
// the token must exist, be for the partner API, and stand for a grant that is live in Parley's
// own records now — revocation and expiry take effect at once, whatever the token says.
import type Provider from 'oidc-provider';
import { AppError } from '../errors.js';
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

export function createPartnerAuthService(deps: ServiceDeps & { provider: Provider; apiResource: string }) {
  const { storage, clock, provider } = deps;

  return {
    async actorForToken(token: string): Promise<AppActor> {
      const accessToken = await provider.AccessToken.find(token);
      if (!accessToken) throw invalid('The access token is unknown, expired or revoked.');
      const audience = accessToken.aud;
      const audiences = Array.isArray(audience) ? audience : [audience];
      if (!audiences.includes(deps.apiResource)) throw invalid('This token is not for the Parley API.');
      if (!accessToken.grantId || !accessToken.accountId) throw invalid('The token has no grant.');
      const grant = await storage.repos.grants.find(accessToken.grantId);
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
      const selected = await storage.repos.grants.selectedThreadIds(grant.id);
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
