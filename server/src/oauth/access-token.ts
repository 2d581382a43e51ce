// What oidc-provider's AccessToken.find decides about a stored opaque access token — the
// format check and time claims of its `verify`, and `checkSessionBinding` — decided over the
// token's row read together with its grant and provider session (one query, see
// oidc.repository's findAccessToken), instead of the library's two reads and model objects on
// every partner request. partner-auth.test.ts holds both to the same answers.

/** The library's default, stated in the provider configuration so both sides use the same. */
export const CLOCK_TOLERANCE_SECONDS = 15;

/** The parts of a stored access token the partner API uses. */
export interface LiveAccessToken {
  accountId: string;
  clientId: string;
  grantId: string;
  audiences: string[];
  scopes: Set<string>;
}

type Json = Record<string, unknown>;

function parseObject(text: string | null): Json | undefined {
  if (text === null) return undefined;
  const value: unknown = JSON.parse(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** The library's time checks (helpers/jwt.js assertPayload): not before, expiry, with tolerance. */
function isCurrent(payload: Json, nowSeconds: number): boolean {
  const { nbf, iat, exp } = payload;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > nowSeconds + CLOCK_TOLERANCE_SECONDS))
    return false;
  if (iat !== undefined && typeof iat !== 'number') return false;
  if (exp === undefined) return typeof iat !== 'number' || iat <= nowSeconds + CLOCK_TOLERANCE_SECONDS;
  return typeof exp === 'number' && nowSeconds - CLOCK_TOLERANCE_SECONDS < exp;
}

/** The provider session a stored token expires with, or `null` if it is not bound to one. */
export function boundSessionUid(token: string): string | null {
  const payload = parseObject(token);
  return payload?.expiresWithSession && typeof payload.sessionUid === 'string' ? payload.sessionUid : null;
}

/**
 * The token if it is live now: opaque, within its times, and — when it expires with the
 * provider session that issued it — that session still exists, is current, is the same
 * account's and holds the same grant for the client. Anything else is `undefined`.
 */
export function liveAccessToken(
  stored: { payload: string; session: string | null },
  nowSeconds: number,
): LiveAccessToken | undefined {
  const token = parseObject(stored.payload);
  if (!token) return undefined;
  // Only opaque tokens are issued; anything else in the table is not ours to accept.
  if ('jwt' in token || 'jwt-ietf' in token || 'paseto' in token) return undefined;
  if ('format' in token && token.format !== 'opaque') return undefined;
  // Sender-constrained tokens (DPoP, mTLS) would need their proof checked: none are issued.
  if (token.jkt !== undefined || token['x5t#S256'] !== undefined) return undefined;
  if (!isCurrent(token, nowSeconds)) return undefined;
  const { accountId, clientId, grantId, aud, scope } = token;
  if (typeof accountId !== 'string' || typeof clientId !== 'string' || typeof grantId !== 'string') {
    return undefined;
  }
  if (token.expiresWithSession) {
    const session = parseObject(stored.session);
    if (!session || !isCurrent(session, nowSeconds) || session.accountId !== accountId) return undefined;
    const authorizations = session.authorizations as
      Record<string, { grantId?: unknown } | undefined> | undefined;
    if (typeof authorizations !== 'object' || authorizations?.[clientId]?.grantId !== grantId)
      return undefined;
  }
  const audiences =
    typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((a) => typeof a === 'string') : [];
  const scopes = new Set(typeof scope === 'string' && scope !== '' ? scope.split(' ') : []);
  return { accountId, clientId, grantId, audiences, scopes };
}
