import type { Kysely } from 'kysely';
import type { Database, OidcPayloadsTable } from '../schema.js';

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
