import type { Kysely } from 'kysely';
import type { Database, FriendRequestsTable } from '../schema.js';
import { prepared } from '../prepared.js';

export interface FriendRequestRow extends FriendRequestsTable {
  from_username: string;
  from_display_name: string;
  to_username: string;
  to_display_name: string;
}

export interface FriendRow {
  id: string;
  username: string;
  display_name: string;
  since: string;
}

const friendship = prepared((db: Kysely<Database>, a: string, b: string) =>
  db.selectFrom('friendships').select('user_id').where('user_id', '=', a).where('friend_id', '=', b),
);

export function createFriendRepository(db: Kysely<Database>) {
  const requestsWithUsers = () =>
    db
      .selectFrom('friend_requests as r')
      .innerJoin('users as f', 'f.id', 'r.from_user_id')
      .innerJoin('users as t', 't.id', 'r.to_user_id')
      .select([
        'r.id',
        'r.from_user_id',
        'r.to_user_id',
        'r.created_at',
        'f.username as from_username',
        'f.display_name as from_display_name',
        't.username as to_username',
        't.display_name as to_display_name',
      ]);

  return {
    async insertRequest(row: FriendRequestsTable): Promise<void> {
      await db.insertInto('friend_requests').values(row).execute();
    },
    findRequest(id: string): Promise<FriendRequestRow | undefined> {
      return requestsWithUsers().where('r.id', '=', id).executeTakeFirst();
    },
    findRequestBetween(fromId: string, toId: string): Promise<FriendRequestRow | undefined> {
      return requestsWithUsers()
        .where('r.from_user_id', '=', fromId)
        .where('r.to_user_id', '=', toId)
        .executeTakeFirst();
    },
    listRequestsTo(userId: string): Promise<FriendRequestRow[]> {
      return requestsWithUsers().where('r.to_user_id', '=', userId).orderBy('r.id', 'desc').execute();
    },
    listRequestsFrom(userId: string): Promise<FriendRequestRow[]> {
      return requestsWithUsers().where('r.from_user_id', '=', userId).orderBy('r.id', 'desc').execute();
    },
    async deleteRequest(id: string): Promise<void> {
      await db.deleteFrom('friend_requests').where('id', '=', id).execute();
    },
    async insertFriendship(a: string, b: string, at: string): Promise<void> {
      await db
        .insertInto('friendships')
        .values([
          { user_id: a, friend_id: b, created_at: at },
          { user_id: b, friend_id: a, created_at: at },
        ])
        .execute();
    },
    /** Returns whether a friendship existed. */
    async deleteFriendship(a: string, b: string): Promise<boolean> {
      const result = await db
        .deleteFrom('friendships')
        .where((eb) =>
          eb.or([
            eb.and([eb('user_id', '=', a), eb('friend_id', '=', b)]),
            eb.and([eb('user_id', '=', b), eb('friend_id', '=', a)]),
          ]),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async areFriends(a: string, b: string): Promise<boolean> {
      return (await friendship(db, a, b)).rows.length > 0;
    },
    /** Which of `ids` are friends of `userId`. */
    async friendIdsAmong(userId: string, ids: readonly string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = await db
        .selectFrom('friendships')
        .select('friend_id')
        .where('user_id', '=', userId)
        .where('friend_id', 'in', [...ids])
        .execute();
      return new Set(rows.map((r) => r.friend_id));
    },
    listFriends(userId: string): Promise<FriendRow[]> {
      return db
        .selectFrom('friendships')
        .innerJoin('users', 'users.id', 'friendships.friend_id')
        .select(['users.id', 'users.username', 'users.display_name', 'friendships.created_at as since'])
        .where('friendships.user_id', '=', userId)
        .orderBy('users.display_name')
        .execute();
    },
  };
}
