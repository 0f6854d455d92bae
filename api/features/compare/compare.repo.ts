/** Comparisons, turns and results. Every query is scoped to the owner (ownership is in the WHERE). */
import { and, asc, desc, eq, inArray, max, ne, sql } from 'drizzle-orm';
import type { Queryable } from '../../../db/client';
import { comparisonResults, comparisons, comparisonTurns } from '../../../db/schema/index';

export type ComparisonRow = typeof comparisons.$inferSelect;
export type TurnRow = typeof comparisonTurns.$inferSelect;
export type ResultRow = typeof comparisonResults.$inferSelect;
export type NewResultRow = typeof comparisonResults.$inferInsert;

export function listComparisonRows(db: Queryable, userId: string, limit: number): Promise<ComparisonRow[]> {
  return db
    .select()
    .from(comparisons)
    .where(eq(comparisons.userId, userId))
    .orderBy(desc(comparisons.updatedAt))
    .limit(limit);
}

export function findComparison(db: Queryable, userId: string, id: string) {
  return db.query.comparisons.findFirst({
    where: and(eq(comparisons.id, id), eq(comparisons.userId, userId)),
  });
}

export async function turnsWithResults(
  db: Queryable,
  comparisonId: string,
): Promise<Array<TurnRow & { results: ResultRow[] }>> {
  const turns = await db
    .select()
    .from(comparisonTurns)
    .where(eq(comparisonTurns.comparisonId, comparisonId))
    .orderBy(asc(comparisonTurns.position));
  if (turns.length === 0) return [];
  const results = await db
    .select()
    .from(comparisonResults)
    .where(
      and(
        inArray(
          comparisonResults.turnId,
          turns.map((t) => t.id),
        ),
        // An answer still streaming is not a result yet (the stream shows it; a crash sweep fails it).
        ne(comparisonResults.status, 'streaming'),
      ),
    )
    .orderBy(asc(comparisonResults.kind), asc(comparisonResults.column), asc(comparisonResults.createdAt));
  return turns.map((t) => ({ ...t, results: results.filter((r) => r.turnId === t.id) }));
}

export async function insertComparison(
  db: Queryable,
  row: typeof comparisons.$inferInsert,
): Promise<ComparisonRow> {
  const [created] = await db.insert(comparisons).values(row).returning();
  return created!;
}

/** Appends a turn at the next position and marks the comparison as updated. */
export async function appendTurn(db: Queryable, comparisonId: string, prompt: string): Promise<TurnRow> {
  const [last] = await db
    .select({ position: max(comparisonTurns.position) })
    .from(comparisonTurns)
    .where(eq(comparisonTurns.comparisonId, comparisonId));
  const [turn] = await db
    .insert(comparisonTurns)
    .values({ comparisonId, prompt, position: (last?.position ?? -1) + 1 })
    .returning();
  await db.update(comparisons).set({ updatedAt: new Date() }).where(eq(comparisons.id, comparisonId));
  return turn!;
}

export async function insertResult(db: Queryable, row: NewResultRow): Promise<ResultRow> {
  const [created] = await db.insert(comparisonResults).values(row).returning();
  return created!;
}

export async function updateResult(
  db: Queryable,
  id: string,
  patch: Partial<NewResultRow>,
): Promise<ResultRow> {
  const [row] = await db
    .update(comparisonResults)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(comparisonResults.id, id))
    .returning();
  return row!;
}

/** The answer so far, while it streams (a crash keeps it). */
export async function saveResultPartial(db: Queryable, id: string, text: string): Promise<void> {
  await db
    .update(comparisonResults)
    .set({ text, updatedAt: new Date() })
    .where(and(eq(comparisonResults.id, id), eq(comparisonResults.status, 'streaming')));
}

/**
 * Answers still streaming since before `cutoff` belong to a process that died (issue 9.5): failed with
 * their partial text and an estimate billed (~4 characters a token; input from the turn's prompt), flagged
 * as estimated. The status is re-checked under the row lock, so two sweepers never bill twice.
 */
export async function failStaleResults(db: Queryable, cutoff: Date, reason: string): Promise<number> {
  const rows = await db.execute<{ id: string }>(sql`
    with stale as (
      select r.id, c.user_id, c.id as comparison_id, r.model_id,
        case when length(r.text) > 0 then ceil(length(t.prompt) / 4.0)::int else 0 end as input_tokens,
        ceil(length(r.text) / 4.0)::int as output_tokens,
        am.input_price_per_million as ip, am.output_price_per_million as op, am.cached_input_price_per_million as cp
      from comparison_results r
      join comparison_turns t on t.id = r.turn_id
      join comparisons c on c.id = t.comparison_id
      left join ai_models am on am.id = r.model_id
      where r.status = 'streaming' and r.updated_at < ${cutoff.toISOString()}::timestamptz
    ),
    priced as (
      select *, ((input_tokens * coalesce(ip, 0) + output_tokens * coalesce(op, 0)) / 1000000)::numeric(20, 12) as cost
      from stale
    ),
    failed as (
      update comparison_results r set status = 'failed', error = ${reason},
        input_tokens = p.input_tokens, output_tokens = p.output_tokens, cost_usd = p.cost, updated_at = now()
      from priced p
      where r.id = p.id and r.status = 'streaming'
      returning p.*
    ),
    ledger as (
      insert into token_usage (user_id, model_id, surface, input_tokens, output_tokens, cost_usd,
        input_price_per_million, output_price_per_million, cached_input_price_per_million, estimated, subject_id)
      select user_id, model_id, 'compare', input_tokens, output_tokens, cost, ip, op, cp, true, comparison_id
      from failed where output_tokens > 0 and model_id is not null
      returning 1
    )
    select id from failed`);
  return [...rows].length;
}

export async function renameComparison(
  db: Queryable,
  userId: string,
  id: string,
  title: string,
): Promise<boolean> {
  const rows = await db
    .update(comparisons)
    .set({ title, updatedAt: new Date() })
    .where(and(eq(comparisons.id, id), eq(comparisons.userId, userId)))
    .returning({ id: comparisons.id });
  return rows.length > 0;
}

export async function deleteComparison(db: Queryable, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(comparisons)
    .where(and(eq(comparisons.id, id), eq(comparisons.userId, userId)))
    .returning({ id: comparisons.id });
  return rows.length > 0;
}
