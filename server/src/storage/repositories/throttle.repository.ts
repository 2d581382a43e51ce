import type { Kysely } from 'kysely';
import type { Database, LoginThrottleTable } from '../schema.js';

export function createThrottleRepository(db: Kysely<Database>) {
  return {
    findMany(keys: readonly string[]): Promise<LoginThrottleTable[]> {
      return db
        .selectFrom('login_throttle')
        .selectAll()
        .where('key', 'in', [...keys])
        .execute();
    },
    async put(row: LoginThrottleTable): Promise<void> {
      await db
        .insertInto('login_throttle')
        .values(row)
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            failures: row.failures,
            window_started_at: row.window_started_at,
          }),
        )
        .execute();
    },
    async delete(key: string): Promise<void> {
      await db.deleteFrom('login_throttle').where('key', '=', key).execute();
    },
  };
}
