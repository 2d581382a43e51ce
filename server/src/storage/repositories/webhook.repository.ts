import { sql, type Kysely } from 'kysely';
import type { Database, WebhookDeliveriesTable, WebhookGrantEventsTable } from '../schema.js';
import { prepared } from '../prepared.js';
import type { GrantRow } from './grant.repository.js';

export type WebhookDeliveryRow = WebhookDeliveriesTable;
export type GrantEndEvent = WebhookGrantEventsTable['event'];

/**
 * Unrevoked grants of the conversation's members whose app has a webhook URL for new messages
 * and could reach this conversation at all: through the app it was started with, or a
 * selection of it. Only candidates: `authorize` decides. Run for every message sent, so
 * compiled once (an empty `originClientId` matches no app).
 */
const candidatesOf = (db: Kysely<Database>, threadId: string, originClientId: string) =>
  db
    .selectFrom('app_grants')
    .innerJoin('apps', 'apps.client_id', 'app_grants.client_id')
    .selectAll('app_grants')
    .where('app_grants.user_id', 'in', (eb) =>
      eb
        .selectFrom('thread_members')
        .select('thread_members.user_id')
        .where('thread_members.thread_id', '=', threadId),
    )
    .where('app_grants.revoked_at', 'is', null)
    .where('apps.webhook_url', 'is not', null)
    // A literal pattern: SQLite re-prepares a statement on every execution when a LIKE
    // pattern is a bound parameter (its LIKE optimisation depends on the value).
    .where('apps.webhook_events', 'like', sql.lit('%"message.created"%'))
    .where((eb) =>
      eb.or([
        eb(
          'app_grants.id',
          'in',
          eb
            .selectFrom('grant_threads')
            .select('grant_threads.grant_id')
            .where('grant_threads.thread_id', '=', threadId),
        ),
        eb('app_grants.client_id', '=', originClientId),
      ]),
    );
const readerCandidates = prepared(candidatesOf);
const readerCandidatesOfApp = prepared(
  (db: Kysely<Database>, threadId: string, originClientId: string, clientId: string) =>
    candidatesOf(db, threadId, originClientId).where('app_grants.client_id', '=', clientId),
);

export function createWebhookRepository(db: Kysely<Database>) {
  return {
    async insert(delivery: WebhookDeliveryRow): Promise<void> {
      await db.insertInto('webhook_deliveries').values(delivery).execute();
    },
    find(id: string): Promise<WebhookDeliveryRow | undefined> {
      return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
    },
    listForClient(clientId: string): Promise<WebhookDeliveryRow[]> {
      return db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('client_id', '=', clientId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },

    /**
     * Records that a grant's end was announced. False when it already was: the caller then
     * queues nothing (insert … on conflict do nothing is atomic in both dialects).
     */
    async markGrantEvent(grantId: string, event: GrantEndEvent, at: string): Promise<boolean> {
      const result = await db
        .insertInto('webhook_grant_events')
        .values({ grant_id: grantId, event, created_at: at })
        .onConflict((oc) => oc.columns(['grant_id', 'event']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    },

    /** The apps' grants that may be sent this conversation's new messages (see candidatesOf). */
    async readerCandidates(
      thread: { id: string; originClientId: string | null },
      clientId?: string,
    ): Promise<GrantRow[]> {
      const origin = thread.originClientId ?? '';
      const { rows } =
        clientId === undefined
          ? await readerCandidates(db, thread.id, origin)
          : await readerCandidatesOfApp(db, thread.id, origin, clientId);
      return rows;
    },

    /** Pending deliveries whose time has come, oldest first. */
    due(now: string, limit: number): Promise<WebhookDeliveryRow[]> {
      return db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(limit)
        .execute();
    },

    /**
     * Takes a due delivery for one attempt by moving its next attempt to `leaseUntil`, if no one
     * else took it since it was read (several API nodes may run dispatchers on one database).
     */
    async claim(delivery: Pick<WebhookDeliveryRow, 'id' | 'next_attempt_at'>, leaseUntil: string) {
      if (delivery.next_attempt_at === null) return false;
      const result = await db
        .updateTable('webhook_deliveries')
        .set({ next_attempt_at: leaseUntil })
        .where('id', '=', delivery.id)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '=', delivery.next_attempt_at)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async recordAttempt(
      id: string,
      outcome: Pick<
        WebhookDeliveryRow,
        'attempts' | 'status' | 'last_status_code' | 'last_error' | 'next_attempt_at' | 'delivered_at'
      >,
    ): Promise<void> {
      await db.updateTable('webhook_deliveries').set(outcome).where('id', '=', id).execute();
    },

    /**
     * Unrevoked grants last used at or before `cutoff` whose expiry was not announced yet (the
     * sweep's candidates; grantStatus decides).
     */
    expiredUnannounced(cutoff: string, limit: number): Promise<GrantRow[]> {
      return db
        .selectFrom('app_grants')
        .selectAll()
        .where('revoked_at', 'is', null)
        .where('last_used_at', '<=', cutoff)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('webhook_grant_events')
                .select('webhook_grant_events.grant_id')
                .whereRef('webhook_grant_events.grant_id', '=', 'app_grants.id')
                .where('webhook_grant_events.event', '=', 'grant.expired'),
            ),
          ),
        )
        .orderBy('last_used_at')
        .limit(limit)
        .execute();
    },
  };
}
