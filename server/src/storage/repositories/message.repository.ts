import type { Kysely } from 'kysely';
import type { Database, MessagesTable } from '../schema.js';
import { prepared } from '../prepared.js';

export interface MessageRow extends MessagesTable {
  author_username: string;
  author_display_name: string;
  /** The name of the app that sent it, if one did. */
  via_name: string | null;
}

/** Messages as people see them: with their author's names and the app they came through. */
const messagesWithAuthor = (db: Kysely<Database>) =>
  db
    .selectFrom('messages')
    .innerJoin('users', 'users.id', 'messages.author_id')
    .leftJoin('apps', 'apps.client_id', 'messages.via_client_id')
    .selectAll('messages')
    .select([
      'users.username as author_username',
      'users.display_name as author_display_name',
      'apps.name as via_name',
    ]);

// The statements of every message sent and every page read, compiled once.
const messageInsert = prepared(
  (
    db: Kysely<Database>,
    id: string,
    threadId: string,
    authorId: string,
    text: string | null,
    card: string | null,
    viaClientId: string | null,
    createdAt: string,
  ) =>
    db.insertInto('messages').values({
      id,
      thread_id: threadId,
      author_id: authorId,
      text,
      card,
      via_client_id: viaClientId,
      created_at: createdAt,
    }),
);
const messageById = prepared((db: Kysely<Database>, id: string) =>
  messagesWithAuthor(db).where('messages.id', '=', id),
);
const newestPage = prepared((db: Kysely<Database>, threadId: string, limit: number) =>
  messagesWithAuthor(db)
    .where('messages.thread_id', '=', threadId)
    .orderBy('messages.id', 'desc')
    .limit(limit),
);
const pageBefore = prepared((db: Kysely<Database>, threadId: string, before: string, limit: number) =>
  messagesWithAuthor(db)
    .where('messages.thread_id', '=', threadId)
    .where('messages.id', '<', before)
    .orderBy('messages.id', 'desc')
    .limit(limit),
);

export function createMessageRepository(db: Kysely<Database>) {
  const withAuthor = () => messagesWithAuthor(db);

  return {
    async insert(m: MessagesTable): Promise<void> {
      await messageInsert(db, m.id, m.thread_id, m.author_id, m.text, m.card, m.via_client_id, m.created_at);
    },
    async findById(id: string): Promise<MessageRow | undefined> {
      return (await messageById(db, id)).rows[0];
    },
    /** Newest first; `before` is an exclusive message-id cursor (ids sort by time). */
    async listPage(threadId: string, limit: number, before?: string): Promise<MessageRow[]> {
      const { rows } =
        before === undefined
          ? await newestPage(db, threadId, limit)
          : await pageBefore(db, threadId, before, limit);
      return rows;
    },
    /** The newest message of each thread. */
    async latestOf(threadIds: readonly string[]): Promise<MessageRow[]> {
      if (threadIds.length === 0) return [];
      return withAuthor()
        .where('messages.id', 'in', (eb) =>
          eb
            .selectFrom('messages as m')
            .select((e) => e.fn.max('m.id').as('id'))
            .where('m.thread_id', 'in', [...threadIds])
            .groupBy('m.thread_id'),
        )
        .execute();
    },
    async delete(id: string): Promise<void> {
      await db.deleteFrom('messages').where('id', '=', id).execute();
    },
  };
}
