import type { Kysely } from 'kysely';
import type { AppScopesTable, AppsTable, Database } from '../schema.js';
import { prepared } from '../prepared.js';

export type AppRow = AppsTable;
export type AppScopeRow = AppScopesTable;

// Read on every OAuth request (oidc-provider looks the client up each time), compiled once.
const appById = prepared((db: Kysely<Database>, clientId: string) =>
  db.selectFrom('apps').selectAll().where('client_id', '=', clientId),
);
const scopesOfApp = prepared((db: Kysely<Database>, clientId: string) =>
  db.selectFrom('app_scopes').selectAll().where('client_id', '=', clientId).orderBy('scope'),
);

export function createAppRepository(db: Kysely<Database>) {
  return {
    async insert(app: AppRow, scopes: readonly AppScopeRow[]): Promise<void> {
      await db.insertInto('apps').values(app).execute();
      if (scopes.length)
        await db
          .insertInto('app_scopes')
          .values([...scopes])
          .execute();
    },
    async find(clientId: string): Promise<AppRow | undefined> {
      return (await appById(db, clientId)).rows[0];
    },
    listByOwner(ownerId: string): Promise<AppRow[]> {
      return db
        .selectFrom('apps')
        .selectAll()
        .where('owner_id', '=', ownerId)
        .orderBy('created_at')
        .execute();
    },
    async findMany(clientIds: readonly string[]): Promise<AppRow[]> {
      if (clientIds.length === 0) return [];
      return db
        .selectFrom('apps')
        .selectAll()
        .where('client_id', 'in', [...clientIds])
        .execute();
    },
    async scopesOf(clientId: string): Promise<AppScopeRow[]> {
      return (await scopesOfApp(db, clientId)).rows;
    },
    async update(
      clientId: string,
      changes: Partial<Omit<AppRow, 'client_id' | 'owner_id' | 'created_at'>>,
    ): Promise<void> {
      await db.updateTable('apps').set(changes).where('client_id', '=', clientId).execute();
    },
    async replaceScopes(clientId: string, scopes: readonly AppScopeRow[]): Promise<void> {
      await db.deleteFrom('app_scopes').where('client_id', '=', clientId).execute();
      if (scopes.length)
        await db
          .insertInto('app_scopes')
          .values([...scopes])
          .execute();
    },
    async addUsage(clientId: string, action: string, count: number, at: string): Promise<void> {
      await db
        .insertInto('app_usage')
        .values({ client_id: clientId, action, count, last_used_at: at })
        .onConflict((oc) =>
          oc.columns(['client_id', 'action']).doUpdateSet((eb) => ({
            count: eb('app_usage.count', '+', count),
            last_used_at: at,
          })),
        )
        .execute();
    },
    deliveriesOf(clientId: string, limit: number) {
      return db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('client_id', '=', clientId)
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
    },
    usageOf(clientId: string) {
      return db
        .selectFrom('app_usage')
        .select(['action', 'count', 'last_used_at'])
        .where('client_id', '=', clientId)
        .orderBy('action')
        .execute();
    },
  };
}
