// Frozen in time: which webhook events each app asked for (least privilege: an app that only
// needs to know when access ends is not sent, nor logged as reading, every new message).
import { sql, type Kysely } from 'kysely';

export const ALL_WEBHOOK_EVENTS_JSON = '["message.created","grant.revoked","grant.expired"]';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('apps')
    .addColumn('webhook_events', 'text', (c) => c.notNull().defaultTo(sql.lit(ALL_WEBHOOK_EVENTS_JSON)))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('apps').dropColumn('webhook_events').execute();
}
