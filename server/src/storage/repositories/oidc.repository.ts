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

// oidc-provider's reads and writes of every authorization, code exchange and refresh.
const payloadById = prepared((db: Kysely<Database>, model: string, id: string) =>
  db.selectFrom('oidc_payloads').selectAll().where('model', '=', model).where('id', '=', id),
);
const payloadByUid = prepared((db: Kysely<Database>, model: string, uid: string) =>
  db.selectFrom('oidc_payloads').selectAll().where('model', '=', model).where('uid', '=', uid),
);
const payloadConsume = prepared((db: Kysely<Database>, model: string, id: string, at: string) =>
  db
    .updateTable('oidc_payloads')
    .set({ consumed_at: at })
    .where('model', '=', model)
    .where('id', '=', id)
    .where('consumed_at', 'is', null),
);
const payloadUpsert = prepared(
  (
    db: Kysely<Database>,
    model: string,
    id: string,
    payload: string,
    grantId: string | null,
    uid: string | null,
    userCode: string | null,
    expiresAt: string | null,
    consumedAt: string | null,
    sessionUid: string | null,
  ) =>
    db
      .insertInto('oidc_payloads')
      .values({
        model,
        id,
        payload,
        grant_id: grantId,
        uid,
        user_code: userCode,
        expires_at: expiresAt,
        consumed_at: consumedAt,
        session_uid: sessionUid,
      })
      .onConflict((oc) =>
        oc.columns(['model', 'id']).doUpdateSet({
          payload,
          grant_id: grantId,
          uid,
          user_code: userCode,
          expires_at: expiresAt,
          consumed_at: consumedAt,
          session_uid: sessionUid,
        }),
      ),
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
      await payloadUpsert(
        db,
        row.model,
        row.id,
        row.payload,
        row.grant_id,
        row.uid,
        row.user_code,
        row.expires_at,
        row.consumed_at,
        row.session_uid,
      );
    },
    async find(model: string, id: string): Promise<OidcPayloadsTable | undefined> {
      return (await payloadById(db, model, id)).rows[0];
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
    async findByUid(model: string, uid: string): Promise<OidcPayloadsTable | undefined> {
      return (await payloadByUid(db, model, uid)).rows[0];
    },
    /** Marks the row consumed only if it was not; returns whether this call consumed it. */
    async consume(model: string, id: string, at: string): Promise<boolean> {
      const result = await payloadConsume(db, model, id, at);
      return Number(result.numAffectedRows ?? 0) > 0;
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
