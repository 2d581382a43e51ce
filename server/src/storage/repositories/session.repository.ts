import type { Kysely } from 'kysely';
import type { Database, SessionsTable } from '../schema.js';
import { prepared } from '../prepared.js';

export interface SessionWithUser {
  id: string;
  user_id: string;
  last_seen_at: string;
  expires_at: string;
  username: string;
  display_name: string;
  user_created_at: string;
}

const liveSession = prepared((db: Kysely<Database>, id: string, nowIso: string) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id',
      'sessions.user_id',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'users.username',
      'users.display_name',
      'users.created_at as user_created_at',
    ])
    .where('sessions.id', '=', id)
    .where('sessions.expires_at', '>', nowIso),
);

export function createSessionRepository(db: Kysely<Database>) {
  return {
    async insert(session: SessionsTable): Promise<void> {
      await db.insertInto('sessions').values(session).execute();
    },
    async findLive(id: string, nowIso: string): Promise<SessionWithUser | undefined> {
      return (await liveSession(db, id, nowIso)).rows[0];
    },
    async touch(id: string, lastSeenAt: string): Promise<void> {
      await db.updateTable('sessions').set({ last_seen_at: lastSeenAt }).where('id', '=', id).execute();
    },
    /** Logs a person out everywhere; returns how many sessions ended. */
    async deleteForUser(userId: string): Promise<number> {
      const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async delete(id: string): Promise<void> {
      await db.deleteFrom('sessions').where('id', '=', id).execute();
    },
  };
}
