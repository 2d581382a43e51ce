import type { Kysely } from 'kysely';
import type { Database, UsersTable } from '../schema.js';
import { prepared } from '../prepared.js';

export type UserRow = UsersTable;
export type PublicUserRow = Pick<UsersTable, 'id' | 'username' | 'display_name'>;

const userById = prepared((db: Kysely<Database>, id: string) =>
  db.selectFrom('users').selectAll().where('id', '=', id),
);

export function createUserRepository(db: Kysely<Database>) {
  return {
    async insert(user: UserRow): Promise<void> {
      await db.insertInto('users').values(user).execute();
    },
    async findById(id: string): Promise<UserRow | undefined> {
      return (await userById(db, id)).rows[0];
    },
    findByUsername(username: string): Promise<UserRow | undefined> {
      return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    },
    async findPublicByIds(ids: readonly string[]): Promise<PublicUserRow[]> {
      if (ids.length === 0) return [];
      return db
        .selectFrom('users')
        .select(['id', 'username', 'display_name'])
        .where('id', 'in', [...ids])
        .execute();
    },
    listAll(): Promise<Pick<UserRow, 'username' | 'display_name' | 'created_at'>[]> {
      return db
        .selectFrom('users')
        .select(['username', 'display_name', 'created_at'])
        .orderBy('username')
        .execute();
    },
    async count(): Promise<number> {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
