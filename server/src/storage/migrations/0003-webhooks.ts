// Frozen in time: what the webhook dispatcher needs beside 0002's webhook_deliveries.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // A grant's end is announced to its app once: this row says it was (whether or not the app
  // had a webhook URL then), so the expiry sweep never looks at that grant again.
  await db.schema
    .createTable('webhook_grant_events')
    .addColumn('grant_id', 'text', (c) => c.notNull().references('app_grants.id').onDelete('cascade'))
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_grant_events_pk', ['grant_id', 'event'])
    .execute();
  // The expiry sweep: unrevoked grants last used before a cutoff.
  await db.schema.createIndex('app_grants_last_used').on('app_grants').column('last_used_at').execute();
  // The developer console's list of an app's deliveries, newest first.
  await db.schema
    .createIndex('webhook_deliveries_client')
    .on('webhook_deliveries')
    .columns(['client_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('webhook_deliveries_client').execute();
  await db.schema.dropIndex('app_grants_last_used').execute();
  await db.schema.dropTable('webhook_grant_events').execute();
}
