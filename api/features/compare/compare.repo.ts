/** Comparisons, turns and results. Every query is scoped to the owner (ownership is in the WHERE). */
import { and, asc, desc, eq, inArray, max } from 'drizzle-orm';
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
      inArray(
        comparisonResults.turnId,
        turns.map((t) => t.id),
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

export async function deleteComparison(db: Queryable, userId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(comparisons)
    .where(and(eq(comparisons.id, id), eq(comparisons.userId, userId)))
    .returning({ id: comparisons.id });
  return rows.length > 0;
}
