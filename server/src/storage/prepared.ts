// Queries built and compiled once, then run with each call's values. Kysely builds and compiles
// a query on every call: for the token lookup (four tables) that was 35 µs of the 61 µs the
// lookup took, where executing the compiled query took 12. The hottest queries of the partner
// API are written with `prepared` and keep their Kysely types; the rest stay as they are.
import type { CompiledQuery, Compilable, Kysely, QueryResult } from 'kysely';
import type { Database } from './schema.js';

/** A value no caller passes: it marks where the n-th argument lands among the parameters. */
const MARKER_PREFIX = '\u0000parley:prepared-argument:';
const marker = (n: number) => `${MARKER_PREFIX}${n}`;
const argumentOf = (parameter: unknown) =>
  typeof parameter === 'string' && parameter.startsWith(MARKER_PREFIX)
    ? Number(parameter.slice(MARKER_PREFIX.length))
    : -1;

interface Compiled<Row> {
  query: CompiledQuery<Row>;
  /** For each parameter, the index of the argument that fills it, or -1 for a constant. */
  slots: number[];
}

/**
 * Wraps a query whose variable parts are its arguments (ids, keys, timestamps, a limit): each
 * must reach the query as a bound parameter, and never be looked at by the builder, which sees
 * a marker in its place. It is compiled on first use for each database (SQLite and PostgreSQL
 * compile differently) and, inside a transaction, runs on that transaction's connection.
 */
export function prepared<Args extends (string | number | null)[], Row>(
  build: (db: Kysely<Database>, ...args: Args) => Compilable<Row>,
) {
  // Keyed by the dialect adapter, which a database and its transactions share.
  const byDatabase = new WeakMap<object, Compiled<Row>>();

  function compile(db: Kysely<Database>, arity: number): Compiled<Row> {
    // Markers are strings even where a number goes: the builder only binds them.
    const markers = Array.from({ length: arity }, (_, i) => marker(i)) as unknown as Args;
    const query = build(db, ...markers).compile();
    const slots = query.parameters.map(argumentOf);
    for (let i = 0; i < arity; i++) {
      if (!slots.includes(i)) throw new Error(`prepared query: argument ${i} is not a parameter`);
    }
    return { query, slots };
  }

  return (db: Kysely<Database>, ...args: Args): Promise<QueryResult<Row>> => {
    const key = db.getExecutor().adapter;
    let compiled = byDatabase.get(key);
    if (!compiled) {
      compiled = compile(db, args.length);
      byDatabase.set(key, compiled);
    }
    const { query, slots } = compiled;
    const parameters = query.parameters.map((p, i) => (slots[i]! >= 0 ? args[slots[i]!] : p));
    return db.executeQuery<Row>({ ...query, parameters });
  };
}
