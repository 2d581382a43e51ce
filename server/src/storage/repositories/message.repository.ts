import type { Kysely } from 'kysely';
import type { Database, MessagesTable } from '../schema.js';

export interface MessageRow extends MessagesTable {
  author_username: string;
  author_display_name: string;
  /** The name of the app that sent it, if one did. */
  via_name: string | null;
}

export function createMessageRepository(db: Kysely<Database>) {
  const withAuthor = () =>
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

  return {
    async insert(message: MessagesTable): Promise<void> {
      await db.insertInto('messages').values(message).execute();
    },
    findById(id: string): Promise<MessageRow | undefined> {
      return withAuthor().where('messages.id', '=', id).executeTakeFirst();
    },
    /** Newest first; `before` is an exclusive message-id cursor (ids sort by time). */
    listPage(threadId: string, limit: number, before?: string): Promise<MessageRow[]> {
      let query = withAuthor().where('messages.thread_id', '=', threadId);
      if (before !== undefined) query = query.where('messages.id', '<', before);
      return query.orderBy('messages.id', 'desc').limit(limit).execute();
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
