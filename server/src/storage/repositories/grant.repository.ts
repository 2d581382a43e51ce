import type { Kysely } from 'kysely';
import type { AppGrantsTable, Database } from '../schema.js';

export type GrantRow = AppGrantsTable;

export function createGrantRepository(db: Kysely<Database>) {
  return {
    async insert(grant: GrantRow, threadIds: readonly string[]): Promise<void> {
      await db.insertInto('app_grants').values(grant).execute();
      if (threadIds.length) {
        await db
          .insertInto('grant_threads')
          .values(threadIds.map((thread_id) => ({ grant_id: grant.id, thread_id })))
          .execute();
      }
    },
    /** The person's unrevoked grants (one per app at most: a new consent revokes the old one). */
    listLiveForUser(userId: string): Promise<GrantRow[]> {
      return db
        .selectFrom('app_grants')
        .selectAll()
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .orderBy('created_at', 'desc')
        .execute();
    },
    findLive(userId: string, clientId: string): Promise<GrantRow | undefined> {
      return db
        .selectFrom('app_grants')
        .selectAll()
        .where('user_id', '=', userId)
        .where('client_id', '=', clientId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
    },
    /** Unrevoked grants of these people, to tell which friends connected an app. */
    async liveForUsers(
      userIds: readonly string[],
    ): Promise<Pick<GrantRow, 'user_id' | 'client_id' | 'last_used_at' | 'scopes'>[]> {
      if (userIds.length === 0) return [];
      return db
        .selectFrom('app_grants')
        .select(['user_id', 'client_id', 'last_used_at', 'scopes'])
        .where('user_id', 'in', [...userIds])
        .where('revoked_at', 'is', null)
        .execute();
    },
    listForClient(clientId: string): Promise<Pick<GrantRow, 'revoked_at' | 'last_used_at'>[]> {
      return db
        .selectFrom('app_grants')
        .select(['revoked_at', 'last_used_at'])
        .where('client_id', '=', clientId)
        .execute();
    },
    async selectedThreadsOf(grantIds: readonly string[]): Promise<{ grant_id: string; thread_id: string }[]> {
      if (grantIds.length === 0) return [];
      return db
        .selectFrom('grant_threads')
        .selectAll()
        .where('grant_id', 'in', [...grantIds])
        .execute();
    },
    async revoke(id: string, at: string): Promise<boolean> {
      const result = await db
        .updateTable('app_grants')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async touch(id: string, at: string): Promise<void> {
      await db.updateTable('app_grants').set({ last_used_at: at }).where('id', '=', id).execute();
    },
    /** Live grants that selected this conversation, with their app and person (for "who can read this"). */
    connectedTo(threadId: string) {
      return db
        .selectFrom('grant_threads')
        .innerJoin('app_grants', 'app_grants.id', 'grant_threads.grant_id')
        .innerJoin('apps', 'apps.client_id', 'app_grants.client_id')
        .innerJoin('users', 'users.id', 'app_grants.user_id')
        .select([
          'app_grants.id as grant_id',
          'app_grants.client_id',
          'app_grants.scopes',
          'app_grants.last_used_at',
          'apps.name',
          'users.id as user_id',
          'users.username',
          'users.display_name',
        ])
        .where('grant_threads.thread_id', '=', threadId)
        .where('app_grants.revoked_at', 'is', null)
        .execute();
    },
    async removeAppFromThread(threadId: string, clientId: string, by: string, at: string): Promise<void> {
      await db
        .insertInto('thread_app_removals')
        .values({ thread_id: threadId, client_id: clientId, removed_by: by, removed_at: at })
        .onConflict((oc) => oc.columns(['thread_id', 'client_id']).doNothing())
        .execute();
    },
  };
}
