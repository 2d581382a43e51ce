// A grant's life, decided in one place: active until revoked or unused for the expiry period.
import type { GrantFacts } from '../policy/authorize.js';
import { isScopeName, type ScopeName } from '../policy/scopes.js';
import type { GrantRow } from '../storage/repositories/grant.repository.js';

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
