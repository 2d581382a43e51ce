// A grant's life, decided in one place: active until revoked or unused for the expiry period.
import type { GrantFacts } from '../policy/authorize.js';
import { isScopeName, type ScopeName } from '../policy/scopes.js';
import type { GrantRow } from '../storage/repositories/grant.repository.js';
import type { Repositories } from '../storage/repositories/index.js';

export const DAY_MS = 24 * 3600 * 1000;

export function grantExpiresAt(row: Pick<GrantRow, 'last_used_at'>, expiryDays: number): number {
  return Date.parse(row.last_used_at) + expiryDays * DAY_MS;
}

export function grantStatus(
  row: Pick<GrantRow, 'revoked_at' | 'last_used_at'>,
  expiryDays: number,
  now: Date,
): 'active' | 'expired' | 'revoked' {
  if (row.revoked_at) return 'revoked';
  return now.getTime() >= grantExpiresAt(row, expiryDays) ? 'expired' : 'active';
}

export function grantedScopes(row: Pick<GrantRow, 'scopes'>): ScopeName[] {
  return (JSON.parse(row.scopes) as string[]).filter(isScopeName);
}

export function grantFacts(
  row: GrantRow,
  selectedThreadIds: readonly string[],
  expiryDays: number,
): GrantFacts {
  return {
    id: row.id,
    userId: row.user_id,
    clientId: row.client_id,
    scopes: new Set(grantedScopes(row)),
    selectedThreadIds: new Set(selectedThreadIds),
    isRevoked: row.revoked_at !== null,
    expiresAt: grantExpiresAt(row, expiryDays),
  };
}

/**
 * The person's live grant for the app if it is active and covers what the app registers now
 * (new scopes raise the app's consent version, which calls for consent again).
 */
export async function currentGrantOf(
  repos: Pick<Repositories, 'grants' | 'apps'>,
  userId: string,
  clientId: string,
  expiryDays: number,
  now: Date,
): Promise<GrantRow | undefined> {
  const [grant, app] = await Promise.all([
    repos.grants.findLive(userId, clientId),
    repos.apps.find(clientId),
  ]);
  if (!grant || !app) return undefined;
  const isCurrent =
    grantStatus(grant, expiryDays, now) === 'active' && grant.consent_version >= app.consent_version;
  return isCurrent ? grant : undefined;
}
