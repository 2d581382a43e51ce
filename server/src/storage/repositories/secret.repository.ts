import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export function createSecretRepository(db: Kysely<Database>) {
  return {
    async find(name: string): Promise<string | undefined> {
      const row = await db.selectFrom('secrets').select('value').where('name', '=', name).executeTakeFirst();
      return row?.value;
    },
    /** Stores the value unless one exists; returns the one that won (two nodes may race on first start). */
    async putIfAbsent(name: string, value: string, at: string): Promise<string> {
      await db
        .insertInto('secrets')
        .values({ name, value, created_at: at })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const row = await db
        .selectFrom('secrets')
        .select('value')
        .where('name', '=', name)
        .executeTakeFirstOrThrow();
      return row.value;
    },
  };
}
