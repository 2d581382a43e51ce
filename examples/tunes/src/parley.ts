// Tunes's side of the connection to Parley, through the SDK only: starting and finishing
// OAuth, keeping each person's tokens fresh, and forgetting them the moment Parley says the
// access ended (a refused token, a refused refresh, or a grant.revoked webhook).
import {
  ParleyAuthError,
  type AccessReceipt,
  ParleyClient,
  ParleyOAuth,
  ParleyOAuthError,
  type PendingAuthorization,
  type ScopeName,
  type TokenSet,
} from '@parley/sdk';
import type { LostAccess, Person, Store, StoredTokens } from './store.js';

/** Refresh this long before the access token expires, so a request never carries a dying token. */
const EXPIRY_MARGIN_MS = 60_000;

/** The person has no working connection to Parley (any more): show "Connect again". */
export class NotConnectedError extends Error {
  override name = 'NotConnectedError';
  constructor(readonly reason: LostAccess) {
    super(`not connected to Parley (${reason})`);
  }
}

export interface ParleyOptions {
  parleyUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** What the app asks for, exactly as registered in Parley. */
  scopes: readonly ScopeName[];
  store: Store;
  /** Called once each time a person's connection ends (to tell their open pages). */
  onLost?: (sub: string, reason: LostAccess) => void;
}

export type Parley = ReturnType<typeof createParley>;

function storedTokens(tokens: TokenSet): StoredTokens {
  return {
    accessToken: tokens.accessToken,
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    expiresAt: tokens.expiresAt,
    scopes: [...tokens.scopes],
  };
}

export function createParley(options: ParleyOptions) {
  const { store } = options;

  // Discovered on first use and kept; a failure (Parley not up yet) is retried next time.
  let discovery: Promise<ParleyOAuth> | null = null;
  function oauth(): Promise<ParleyOAuth> {
    discovery ??= ParleyOAuth.discover({
      parleyUrl: options.parleyUrl,
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      redirectUri: options.redirectUri,
    }).catch((error: unknown) => {
      discovery = null;
      throw error;
    });
    return discovery;
  }

  async function lose(sub: string, reason: LostAccess): Promise<void> {
    const person = store.person(sub);
    if (!person) return;
    // Already disconnected for a reason only guessed at ("ended": a stream closed, a token was
    // refused): a webhook saying why (revoked, expired) makes it precise.
    if (!person.tokens && !(person.lostAccess === 'ended' && reason !== 'ended')) return;
    await store.updatePerson(sub, (p) => {
      p.tokens = null;
      p.lostAccess = reason;
    });
    options.onLost?.(sub, reason);
  }

  // Refresh tokens rotate and reusing one revokes the whole grant (RFC 9700 §4.14.2): two
  // requests that find the token expired together must share one refresh, never race.
  const refreshing = new Map<string, Promise<string>>();

  async function refresh(sub: string, refreshToken: string): Promise<string> {
    let tokens: TokenSet;
    try {
      tokens = await (await oauth()).refresh(refreshToken);
    } catch (error) {
      if (error instanceof ParleyOAuthError) {
        // invalid_grant: the grant was revoked or expired in Parley.
        await lose(sub, 'ended');
        throw new NotConnectedError('ended');
      }
      throw error;
    }
    await store.updatePerson(sub, (p) => {
      // A refresh response may leave out the refresh token when it did not rotate.
      p.tokens = storedTokens({ ...tokens, refreshToken: tokens.refreshToken ?? refreshToken });
    });
    return tokens.accessToken;
  }

  function refreshOnce(sub: string, refreshToken: string): Promise<string> {
    let running = refreshing.get(sub);
    if (!running) {
      running = refresh(sub, refreshToken).finally(() => refreshing.delete(sub));
      refreshing.set(sub, running);
    }
    return running;
  }

  /** A live access token for the person: the stored one, or a fresh one from the refresh token. */
  async function accessToken(sub: string, options: { isStale?: string } = {}): Promise<string> {
    const pending = refreshing.get(sub);
    if (pending) return pending;
    const person = store.person(sub);
    const tokens = person?.tokens;
    if (!person || !tokens) throw new NotConnectedError(person?.lostAccess ?? 'ended');
    const isExpiring = tokens.expiresAt - EXPIRY_MARGIN_MS <= Date.now();
    if (!isExpiring && tokens.accessToken !== options.isStale) return tokens.accessToken;
    if (!tokens.refreshToken) {
      // Without offline_access there is nothing to refresh with: the person connects again.
      await lose(sub, 'expired');
      throw new NotConnectedError('expired');
    }
    return refreshOnce(sub, tokens.refreshToken);
  }

  function clientFor(sub: string, onReceipt?: (receipt: AccessReceipt) => void): ParleyClient {
    return new ParleyClient({
      parleyUrl: options.parleyUrl,
      accessToken: () => accessToken(sub),
      ...(onReceipt ? { onReceipt } : {}),
    });
  }

  /**
   * Runs `work` with the person's client. A 401 is answered once with a refresh (the token may
   * have been cut short); a second 401, or one without a refresh token, ends the connection.
   * `onReceipt` hears every Access-Receipt, also of calls that return nothing (deleteMessage).
   */
  async function withClient<T>(
    sub: string,
    work: (client: ParleyClient) => Promise<T>,
    onReceipt?: (receipt: AccessReceipt) => void,
  ): Promise<T> {
    try {
      return await work(clientFor(sub, onReceipt));
    } catch (error) {
      if (!(error instanceof ParleyAuthError)) throw error;
    }
    const tokens = store.person(sub)?.tokens;
    if (tokens?.refreshToken) {
      await accessToken(sub, { isStale: tokens.accessToken });
      try {
        return await work(clientFor(sub, onReceipt));
      } catch (error) {
        if (!(error instanceof ParleyAuthError)) throw error;
      }
    }
    await lose(sub, 'ended');
    throw new NotConnectedError('ended');
  }

  return {
    clientId: options.clientId,
    parleyUrl: options.parleyUrl,
    withClient,
    lose,

    /** The Parley authorization URL to send the browser to, and what to keep until it comes back. */
    async startAuthorization(): Promise<{ url: URL; pending: PendingAuthorization }> {
      const scopes = options.scopes;
      const { url, state, codeVerifier, nonce } = await (
        await oauth()
      ).createAuthorization({
        scopes,
        // OpenID Connect Core §11: offline_access is honoured only with prompt=consent.
        ...(scopes.includes('offline_access') ? { prompt: 'consent' } : {}),
      });
      return { url, pending: { state, codeVerifier, ...(nonce ? { nonce } : {}) } };
    },

    /** Finishes OAuth at the callback and remembers the person; returns who connected. */
    async finishAuthorization(callbackUrl: URL, pending: PendingAuthorization): Promise<Person> {
      const tokens = await (await oauth()).finishAuthorization(callbackUrl, pending);
      const client = new ParleyClient({ parleyUrl: options.parleyUrl, accessToken: tokens.accessToken });
      // The token response does not name the grant; the webhooks do (grant.revoked), so ask once.
      const { grantId } = await client.permissions();
      let claims = tokens.idClaims;
      if (!claims) {
        const me = await client.me();
        claims = {
          sub: me.id,
          ...(me.username ? { preferredUsername: me.username } : {}),
          ...(me.displayName ? { name: me.displayName } : {}),
        };
      }
      const known = store.person(claims.sub);
      const person: Person = {
        sub: claims.sub,
        username: claims.preferredUsername ?? known?.username ?? '',
        displayName: claims.name ?? claims.preferredUsername ?? known?.displayName ?? 'you',
        grantId,
        tokens: storedTokens(tokens),
        lostAccess: null,
        connectedAt: new Date().toISOString(),
      };
      await store.savePerson(person);
      return person;
    },
  };
}
