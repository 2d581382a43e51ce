import { sql, type Kysely } from 'kysely';
import type { ThreadFacts } from '../../policy/authorize.js';
import type { Database, ThreadMembersTable, ThreadsTable } from '../schema.js';
import { prepared } from '../prepared.js';

export type ThreadRow = ThreadsTable;

export interface ParticipantRow {
  thread_id: string;
  id: string;
  username: string;
  display_name: string;
}

export interface ThreadPageCursor {
  lastActivityAt: string;
  id: string;
}

// The statements of every message sent and every conversation opened, compiled once.
const threadById = prepared((db: Kysely<Database>, id: string) =>
  db.selectFrom('threads').selectAll().where('id', '=', id),
);
const threadByDirectKey = prepared((db: Kysely<Database>, key: string) =>
  db.selectFrom('threads').selectAll().where('direct_key', '=', key),
);
const threadFacts = prepared((db: Kysely<Database>, threadId: string) =>
  db
    .selectFrom('threads')
    .leftJoin('thread_members', 'thread_members.thread_id', 'threads.id')
    .leftJoin('thread_app_removals', 'thread_app_removals.thread_id', 'threads.id')
    .select([
      'threads.id',
      'threads.origin_client_id',
      'thread_members.user_id',
      'thread_app_removals.client_id as removed_client_id',
    ])
    .where('threads.id', '=', threadId),
);
const readMarkerAdvance = prepared(
  (db: Kysely<Database>, threadId: string, userId: string, messageId: string) =>
    db
      .updateTable('thread_members')
      .set({ last_read_message_id: messageId })
      .where('thread_id', '=', threadId)
      .where('user_id', '=', userId)
      .where((eb) =>
        eb.or([eb('last_read_message_id', 'is', null), eb('last_read_message_id', '<', messageId)]),
      ),
);
const activityTouch = prepared((db: Kysely<Database>, threadId: string, at: string) =>
  db.updateTable('threads').set({ last_activity_at: at }).where('id', '=', threadId),
);

export function createThreadRepository(db: Kysely<Database>) {
  return {
    async insert(thread: ThreadRow, members: readonly ThreadMembersTable[]): Promise<void> {
      await db.insertInto('threads').values(thread).execute();
      await db
        .insertInto('thread_members')
        .values([...members])
        .execute();
    },
    async findById(id: string): Promise<ThreadRow | undefined> {
      return (await threadById(db, id)).rows[0];
    },
    async findByDirectKey(key: string): Promise<ThreadRow | undefined> {
      return (await threadByDirectKey(db, key)).rows[0];
    },
    /**
     * What `authorize` needs to know about a conversation, or undefined if it does not exist:
     * one query on every conversation request (a row per member and removed app; removals are
     * rare), where three were one each.
     */
    async facts(threadId: string): Promise<({ id: string } & ThreadFacts) | undefined> {
      const { rows } = await threadFacts(db, threadId);
      const first = rows[0];
      if (!first) return undefined;
      const memberIds = new Set<string>();
      const removedClientIds = new Set<string>();
      for (const row of rows) {
        if (row.user_id !== null) memberIds.add(row.user_id);
        if (row.removed_client_id !== null) removedClientIds.add(row.removed_client_id);
      }
      return { id: first.id, memberIds, originClientId: first.origin_client_id, removedClientIds };
    },
    /** Threads the person is in, most recently active first (the membership rule as a filter). */
    listForMember(userId: string, limit: number, before?: ThreadPageCursor): Promise<ThreadRow[]> {
      let query = db
        .selectFrom('threads')
        .innerJoin('thread_members', 'thread_members.thread_id', 'threads.id')
        .selectAll('threads')
        .where('thread_members.user_id', '=', userId);
      if (before) {
        query = query.where((eb) =>
          eb.or([
            eb('threads.last_activity_at', '<', before.lastActivityAt),
            eb.and([
              eb('threads.last_activity_at', '=', before.lastActivityAt),
              eb('threads.id', '<', before.id),
            ]),
          ]),
        );
      }
      return query
        .orderBy('threads.last_activity_at', 'desc')
        .orderBy('threads.id', 'desc')
        .limit(limit)
        .execute();
    },
    /** Conversations an app might reach for a person: started through it, or selected for it. */
    async candidatesForApp(
      userId: string,
      clientId: string,
      selectedIds: readonly string[],
    ): Promise<ThreadRow[]> {
      return db
        .selectFrom('threads')
        .innerJoin('thread_members', 'thread_members.thread_id', 'threads.id')
        .selectAll('threads')
        .where('thread_members.user_id', '=', userId)
        .where((eb) =>
          selectedIds.length
            ? eb.or([eb('threads.origin_client_id', '=', clientId), eb('threads.id', 'in', [...selectedIds])])
            : eb('threads.origin_client_id', '=', clientId),
        )
        .orderBy('threads.last_activity_at', 'desc')
        .orderBy('threads.id', 'desc')
        .execute();
    },
    async participantsOf(threadIds: readonly string[]): Promise<ParticipantRow[]> {
      if (threadIds.length === 0) return [];
      return db
        .selectFrom('thread_members')
        .innerJoin('users', 'users.id', 'thread_members.user_id')
        .select(['thread_members.thread_id', 'users.id', 'users.username', 'users.display_name'])
        .where('thread_members.thread_id', 'in', [...threadIds])
        .orderBy('thread_members.joined_at')
        .orderBy('users.username')
        .execute();
    },
    /** Messages after the person's read marker, not written by them, per thread. */
    async unreadCounts(userId: string, threadIds: readonly string[]): Promise<Map<string, number>> {
      if (threadIds.length === 0) return new Map();
      const rows = await db
        .selectFrom('messages')
        .innerJoin('thread_members', (join) =>
          join
            .onRef('thread_members.thread_id', '=', 'messages.thread_id')
            .on('thread_members.user_id', '=', userId),
        )
        .select(['messages.thread_id', sql<number | string>`count(*)`.as('n')])
        .where('messages.thread_id', 'in', [...threadIds])
        .where('messages.author_id', '!=', userId)
        .where((eb) =>
          eb.or([
            eb('thread_members.last_read_message_id', 'is', null),
            eb('messages.id', '>', eb.ref('thread_members.last_read_message_id')),
          ]),
        )
        .groupBy('messages.thread_id')
        .execute();
      return new Map(rows.map((r) => [r.thread_id, Number(r.n)]));
    },
    readMarkers(threadId: string): Promise<Pick<ThreadMembersTable, 'user_id' | 'last_read_message_id'>[]> {
      return db
        .selectFrom('thread_members')
        .select(['user_id', 'last_read_message_id'])
        .where('thread_id', '=', threadId)
        .where('last_read_message_id', 'is not', null)
        .execute();
    },
    /** Moves the marker forward only; returns whether it moved. */
    async advanceReadMarker(threadId: string, userId: string, messageId: string): Promise<boolean> {
      const result = await readMarkerAdvance(db, threadId, userId, messageId);
      return Number(result.numAffectedRows ?? 0) > 0;
    },
    async touchActivity(threadId: string, at: string): Promise<void> {
      await activityTouch(db, threadId, at);
    },
  };
}
