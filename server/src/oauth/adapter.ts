// oidc-provider's storage contract (its example/my_adapter.js) on our database, for both
// dialects. Row ids are SHA-256 of the model's id: access and refresh tokens *are* their ids
// (opaque format), so a database dump must not hand out live tokens. Token payloads are stored
// without their `jti` for the same reason, and the id is put back on the way out.
import { createHash } from 'node:crypto';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Clock } from '../lib/clock.js';
import type { Storage } from '../storage/database.js';
import { clientMetadataFor } from './clients.js';

/** The row id of a model instance (bearer credentials are stored only as their hash). */
export const hashId = (id: string) => createHash('sha256').update(id).digest('base64url');

/** Models whose id is a bearer credential. Sessions keep theirs: they are found by uid. */
const BEARER_MODELS = new Set([
  'AccessToken',
  'RefreshToken',
  'AuthorizationCode',
  'ClientCredentials',
  'DeviceCode',
]);

export interface AdapterContext {
  storage: Storage;
  clock: Clock;
  /** The URL of the partner API (the resource indicator). */
  apiResource: string;
}

export function createAdapterFactory(context: AdapterContext): (model: string) => Adapter {
  const { storage, clock } = context;
  const oidc = storage.repos.oidc;

  return (model: string): Adapter => {
    if (model === 'Client') {
      // Clients are the registered apps: read from our own table on every lookup, so an edit
      // (a rotated secret, new redirect URIs) applies at once.
      return {
        async find(clientId) {
          const app = await storage.repos.apps.find(clientId);
          if (!app) return undefined;
          const scopes = await storage.repos.apps.scopesOf(clientId);
          return clientMetadataFor(app, scopes) as unknown as AdapterPayload;
        },
        upsert: () => Promise.reject(new Error('clients are managed through the developer console')),
        findByUid: () => Promise.resolve(undefined),
        findByUserCode: () => Promise.resolve(undefined),
        consume: () => Promise.resolve(undefined),
        destroy: () => Promise.resolve(undefined),
        revokeByGrantId: () => Promise.resolve(undefined),
      };
    }

    const load = (row: { payload: string; consumed_at: string | null } | undefined, id: string) => {
      if (!row) return undefined;
      const payload = JSON.parse(row.payload) as AdapterPayload;
      return {
        ...payload,
        jti: id,
        ...(row.consumed_at ? { consumed: Math.floor(Date.parse(row.consumed_at) / 1000) } : {}),
      } as AdapterPayload;
    };

    return {
      async upsert(id, payload, expiresIn) {
        const { jti, ...rest } = payload;
        const stored = BEARER_MODELS.has(model) ? rest : { ...rest, jti };
        await oidc.upsert({
          model,
          id: hashId(id),
          payload: JSON.stringify(stored),
          grant_id: payload.grantId ?? null,
          uid: payload.uid ?? null,
          user_code: payload.userCode ?? null,
          expires_at: expiresIn ? new Date(Date.now() + expiresIn * 1000).toISOString() : null,
          consumed_at: null,
          // Access tokens bound to a provider session: the partner API checks that session in
          // the same query as the token (services/partner-auth.service.ts).
          session_uid: typeof payload.sessionUid === 'string' ? payload.sessionUid : null,
        });
      },
      async find(id) {
        return load(await oidc.find(model, hashId(id)), id);
      },
      async findByUid(uid) {
        const row = await oidc.findByUid(model, uid);
        if (!row) return undefined;
        const payload = JSON.parse(row.payload) as AdapterPayload;
        return payload.jti ? load(row, payload.jti) : undefined;
      },
      findByUserCode: () => Promise.resolve(undefined),
      async consume(id) {
        // Atomic: of two parallel code exchanges (or refreshes), exactly one wins; the other
        // sees the row consumed and the library treats it as reuse (RFC 9700 §4.14.2).
        await oidc.consume(model, hashId(id), clock.now().toISOString());
      },
      async destroy(id) {
        await oidc.destroy(model, hashId(id));
      },
      async revokeByGrantId(grantId) {
        await oidc.revokeByGrantId(model, grantId);
      },
    };
  };
}
