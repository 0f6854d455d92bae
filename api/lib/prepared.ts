/**
 * Per-request reads as drizzle prepared queries: drizzle builds a select's SQL text anew on every call
 * (~0.15–0.4 ms of CPU for a one-row lookup on this machine, more than the query itself), a prepared one
 * builds it once per database handle and only binds values (sql.placeholder) afterwards
 * (docs/decisions/019-request-cost.md). Keyed by the handle, so a transaction gets its own (built inside
 * it) and a query never runs outside the session it was prepared for.
 */
import type { Queryable } from '../../db/client';

const byHandle = new WeakMap<Queryable, Map<string, unknown>>();

/** The prepared query `name` for `db`, built by `build(db)` on first use. */
export function prepared<Q>(db: Queryable, name: string, build: (db: Queryable) => Q): Q {
  let queries = byHandle.get(db);
  if (!queries) {
    queries = new Map();
    byHandle.set(db, queries);
  }
  let query = queries.get(name) as Q | undefined;
  if (query === undefined) {
    query = build(db);
    queries.set(name, query);
  }
  return query;
}
