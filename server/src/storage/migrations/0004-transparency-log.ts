// Frozen in time: the transparency log (DESIGN.md "Transparency log"). Perfect Merkle nodes are
// stored insert-only by (level, index) with the tree's right edge (the frontier) in one state
// row, so an append hashes O(log n) nodes and a proof reads O(log n) rows.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tlog_entries')
    .addColumn('idx', 'bigint', (c) => c.primaryKey())
    // The exact leaf bytes (RFC 8785 canonical JSON), base64: what people verify.
    .addColumn('leaf', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('tlog_entries_client')
    .on('tlog_entries')
    .columns(['client_id', 'idx'])
    .execute();

  // Everyone whose data an entry touched, so each can read the entries about them.
  await db.schema
    .createTable('tlog_subjects')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('idx', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('tlog_subjects_pk', ['user_id', 'idx'])
    .execute();

  await db.schema
    .createTable('tlog_nodes')
    .addColumn('level', 'integer', (c) => c.notNull())
    .addColumn('idx', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tlog_nodes_pk', ['level', 'idx'])
    .execute();

  await db.schema
    .createTable('tlog_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('root', 'text', (c) => c.notNull())
    .addColumn('frontier', 'text', (c) => c.notNull())
    .execute();
  // The one state row: the empty tree, whose root is SHA-256 of nothing (RFC 9162 §2.1.1).
  await (db as Kysely<{ tlog_state: { id: number; size: number; root: string; frontier: string } }>)
    .insertInto('tlog_state')
    .values({ id: 0, size: 0, root: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', frontier: '[]' })
    .execute();

  await db.schema
    .createTable('tlog_checkpoints')
    .addColumn('size', 'bigint', (c) => c.primaryKey())
    .addColumn('root', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['tlog_checkpoints', 'tlog_state', 'tlog_nodes', 'tlog_subjects', 'tlog_entries']) {
    await db.schema.dropTable(table).execute();
  }
}
