import type { Kysely } from 'kysely';
import { prepared } from '../prepared.js';
import type { AppGrantsTable, Database, OidcPayloadsTable } from '../schema.js';

/** See findAccessToken. */
const accessTokenLookup = prepared((db: Kysely<Database>, id: string) =>
  db
    .selectFrom('oidc_payloads as t')
    .leftJoin('app_grants as g', 'g.id', 't.grant_id')
    .leftJoin('grant_threads as gt', 'gt.grant_id', 't.grant_id')
    .leftJoin('oidc_payloads as s', (join) =>
      join.on('s.model', '=', 'Session').onRef('s.uid', '=', 't.session_uid'),
    )
    .select([
      't.payload',
      't.session_uid',
      's.payload as session',
      'gt.thread_id',
      'g.id as grant_id',
      'g.user_id',
      'g.client_id',
      'g.scopes',
      'g.consent_version',
      'g.created_at',
      'g.last_used_at',
      'g.revoked_at',
    ])
    .where('t.model', '=', 'AccessToken')
    .where('t.id', '=', id),
);

/** An access token's row with what checking it needs, read together (see findAccessToken). */
export interface AccessTokenLookup {
  /** The token's stored payload (JSON, without its id). */
  payload: string;
  /** The row's session binding column (null on rows written before it existed). */
  sessionUid: string | null;
  /** The payload of the provider session it is bound to, if that session still exists. */
  session: string | null;
  /** Parley's grant behind the token, if it still exists. */
  grant: AppGrantsTable | undefined;
  /** The conversations the grant was given (its selections). */
  selectedThreadIds: string[];
}

/** oidc-provider's rows. Ids arrive already hashed (see oauth/adapter.ts). */
export function createOidcRepository(db: Kysely<Database>) {
  return {
    async upsert(row: OidcPayloadsTable): Promise<void> {
      await db
        .insertInto('oidc_payloads')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['model', 'id']).doUpdateSet({
            payload: row.payload,
            grant_id: row.grant_id,
            uid: row.uid,
            user_code: row.user_code,
            expires_at: row.expires_at,
            consumed_at: row.consumed_at,
            session_uid: row.session_uid,
          }),
        )
        .execute();
    },
    find(model: string, id: string): Promise<OidcPayloadsTable | undefined> {
      return db
        .selectFrom('oidc_payloads')
        .selectAll()
        .where('model', '=', model)
        .where('id', '=', id)
        .executeTakeFirst();
    },
    /**
     * An access token by its (hashed) id, with its grant, the grant's selected conversations and
     * the provider session it is bound to: one query on every partner request, where reading
     * them one by one was four. One row per selected conversation (at least one).
     */
    async findAccessToken(id: string): Promise<AccessTokenLookup | undefined> {
      const { rows } = await accessTokenLookup(db, id);
      const first = rows[0];
      if (!first) return undefined;
      const grant =
        first.grant_id !== null && first.user_id !== null && first.client_id !== null && first.scopes !== null
          ? {
              id: first.grant_id,
              user_id: first.user_id,
              client_id: first.client_id,
              scopes: first.scopes,
              consent_version: Number(first.consent_version),
              created_at: first.created_at!,
              last_used_at: first.last_used_at!,
              revoked_at: first.revoked_at,
            }
          : undefined;
      return {
        payload: first.payload,
        sessionUid: first.session_uid,
        session: first.session,
        grant,
        selectedThreadIds: rows.flatMap((r) => (r.thread_id === null ? [] : [r.thread_id])),
      };
    },
    findByUid(model: string, uid: string): Promise<OidcPayloadsTable | undefined> {
      return db
        .selectFrom('oidc_payloads')
        .selectAll()
        .where('model', '=', model)
        .where('uid', '=', uid)
        .executeTakeFirst();
    },
    /** Marks the row consumed only if it was not; returns whether this call consumed it. */
    async consume(model: string, id: string, at: string): Promise<boolean> {
      const result = await db
        .updateTable('oidc_payloads')
        .set({ consumed_at: at })
        .where('model', '=', model)
        .where('id', '=', id)
        .where('consumed_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async destroy(model: string, id: string): Promise<void> {
      await db.deleteFrom('oidc_payloads').where('model', '=', model).where('id', '=', id).execute();
    },
    async revokeByGrantId(model: string, grantId: string): Promise<void> {
      await db
        .deleteFrom('oidc_payloads')
        .where('model', '=', model)
        .where('grant_id', '=', grantId)
        .execute();
    },
    /** Every token of a grant, whatever its kind: revocation in one statement. */
    async deleteAllForGrant(grantId: string): Promise<void> {
      await db.deleteFrom('oidc_payloads').where('grant_id', '=', grantId).execute();
    },
    async purgeExpired(nowIso: string): Promise<number> {
      const result = await db.deleteFrom('oidc_payloads').where('expires_at', '<', nowIso).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
