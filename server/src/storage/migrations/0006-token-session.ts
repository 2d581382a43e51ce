// Frozen in time: the provider session an access token is bound to (oidc-provider's
// `sessionUid`), as a column, so the partner API checks a token, its grant and that session in
// one query instead of four.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oidc_payloads').addColumn('session_uid', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oidc_payloads').dropColumn('session_uid').execute();
}
