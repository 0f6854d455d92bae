import { and, asc, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
import type { Queryable } from '../../../db/client';
import {
  aiModels,
  budgetReservations,
  budgets,
  roles,
  tokenUsage,
  usageMonthTotals,
  users,
} from '../../../db/schema/index';
import { prepared } from '../../lib/prepared';

export type NewUsageRow = typeof tokenUsage.$inferInsert;
export type BudgetRow = typeof budgets.$inferSelect;
export type NewBudgetRow = typeof budgets.$inferInsert;

/** Every column a ledger row is written with (UsageService.row fills each). */
const LEDGER_COLUMNS = [
  'userId',
  'modelId',
  'surface',
  'inputTokens',
  'outputTokens',
  'cachedInputTokens',
  'reasoningTokens',
  'costUsd',
  'inputPricePerMillion',
  'outputPricePerMillion',
  'cachedInputPricePerMillion',
  'requestId',
  'subjectId',
  'estimated',
  'createdAt',
] as const satisfies ReadonlyArray<keyof NewUsageRow>;

/**
 * One ledger row, as a prepared statement: every answer of every surface writes one, and drizzle building
 * the insert's SQL anew cost more CPU than sending it (ADR 020). Missing values bind as null.
 */
export async function insertUsage(db: Queryable, row: NewUsageRow): Promise<void> {
  const insert = prepared(db, 'insert_usage', (d) =>
    d
      .insert(tokenUsage)
      .values(Object.fromEntries(LEDGER_COLUMNS.map((c) => [c, sql.placeholder(c)])) as never)
      .prepare('insert_usage'),
  );
  await insert.execute(Object.fromEntries(LEDGER_COLUMNS.map((c) => [c, row[c] ?? null])));
}

/** Tokens (input + output) and exact cost of a user in [from, to). */
export async function userTotals(
  db: Queryable,
  userId: string,
  from: Date,
  to: Date,
): Promise<{ tokens: number; costUsd: string }> {
  const [row] = await db
    .select({
      tokens: sql<string>`coalesce(sum(${tokenUsage.inputTokens} + ${tokenUsage.outputTokens}), 0)`,
      costUsd: sql<string>`coalesce(sum(${tokenUsage.costUsd}), 0)::text`,
    })
    .from(tokenUsage)
    .where(and(eq(tokenUsage.userId, userId), gte(tokenUsage.createdAt, from), lt(tokenUsage.createdAt, to)));
  return { tokens: Number(row?.tokens ?? 0), costUsd: row?.costUsd ?? '0' };
}

/** The day a month's totals are kept under (its first, UTC). */
const monthKey = (from: Date) => from.toISOString().slice(0, 10);

/** Tokens (input + output) and exact cost of a user in the month starting at `from` (the kept totals). */
export async function monthTotals(
  db: Queryable,
  userId: string,
  from: Date,
): Promise<{ tokens: number; costUsd: string }> {
  const query = prepared(db, 'month_totals', (d) =>
    d
      .select({ tokens: usageMonthTotals.tokens, costUsd: usageMonthTotals.costUsd })
      .from(usageMonthTotals)
      .where(
        and(
          eq(usageMonthTotals.userId, sql.placeholder('userId')),
          eq(usageMonthTotals.month, sql.placeholder('month')),
        ),
      )
      .prepare('month_totals'),
  );
  const [row] = await query.execute({ userId, month: monthKey(from) });
  return row ?? { tokens: 0, costUsd: '0' };
}

export interface ReservationRequest {
  userId: string;
  /** The month's first instant (UTC): its kept totals count. */
  from: Date;
  /** Reservations expiring before this no longer hold anything. */
  now: Date;
  expiresAt: Date;
  /** null: no limit in that unit. */
  limitTokens: number | null;
  limitCostUsd: string | null;
  /** The call's estimate, held in full or capped at what is left. */
  tokens: number;
  costUsd: string;
  /** The prompt's share: refused when it alone takes what is left. */
  prompt: { tokens: number; costUsd: string } | null;
}

export interface ReservationOutcome {
  /** null: refused (see verdict). */
  id: string | null;
  /** The month's kept total plus the live holds (and those of the asks before it), before this one. */
  usedTokens: number;
  usedCostUsd: string;
  verdict: 'exceeded' | 'too_small' | null;
}

/**
 * Checks budgets and holds calls' estimates, any number of calls of any people in one statement, each under
 * its person's lock and against what is left after the asks before it (aistudio_reserve_budgets, migration
 * 0024). The outcomes in the asks' order.
 */
export async function reserveBudgets(
  db: Queryable,
  asks: readonly ReservationRequest[],
): Promise<ReservationOutcome[]> {
  const rows = asks.map((r, i) => ({
    i,
    user_id: r.userId,
    month: monthKey(r.from),
    at: r.now.toISOString(),
    expires: r.expiresAt.toISOString(),
    limit_tokens: r.limitTokens,
    limit_cost: r.limitCostUsd,
    want_tokens: r.tokens,
    want_cost: r.costUsd,
    prompt_tokens: r.prompt?.tokens ?? null,
    prompt_cost: r.prompt?.costUsd ?? null,
  }));
  const answers = await db.execute<{
    idx: number;
    reservation_id: string | null;
    used_tokens: string;
    used_cost: string;
    verdict: ReservationOutcome['verdict'];
  }>(sql`select * from aistudio_reserve_budgets(${JSON.stringify(rows)}::jsonb)`);
  const out: ReservationOutcome[] = new Array(asks.length);
  for (const a of answers)
    out[a.idx] = {
      id: a.reservation_id,
      usedTokens: Number(a.used_tokens),
      usedCostUsd: a.used_cost,
      verdict: a.verdict,
    };
  return out;
}

/** Ends holds whose calls finished (any number in one statement of constant text). */
export async function deleteReservations(db: Queryable, ids: readonly string[]): Promise<void> {
  await db.execute(sql`delete from budget_reservations where id = any(${`{${ids.join(',')}}`}::uuid[])`);
}

/** Reservations whose call can no longer be running: expired, or made before `createdBefore`. */
export async function deleteStaleReservations(
  db: Queryable,
  now: Date,
  createdBefore: Date,
): Promise<number> {
  const rows = await db
    .delete(budgetReservations)
    .where(or(lt(budgetReservations.expiresAt, now), lt(budgetReservations.createdAt, createdBefore)))
    .returning({ id: budgetReservations.id });
  return rows.length;
}

export function usageByModel(db: Queryable, userId: string, from: Date, to: Date) {
  return db
    .select({
      modelId: tokenUsage.modelId,
      displayName: aiModels.displayName,
      inputTokens: sql<string>`sum(${tokenUsage.inputTokens})`,
      outputTokens: sql<string>`sum(${tokenUsage.outputTokens})`,
      cachedInputTokens: sql<string>`sum(${tokenUsage.cachedInputTokens})`,
      costUsd: sql<string>`sum(${tokenUsage.costUsd})::text`,
      calls: sql<string>`count(*)`,
    })
    .from(tokenUsage)
    .innerJoin(aiModels, eq(aiModels.id, tokenUsage.modelId))
    .where(and(eq(tokenUsage.userId, userId), gte(tokenUsage.createdAt, from), lt(tokenUsage.createdAt, to)))
    .groupBy(tokenUsage.modelId, aiModels.displayName)
    .orderBy(asc(aiModels.displayName));
}

export function usageBySurface(db: Queryable, userId: string, from: Date, to: Date) {
  return db
    .select({
      surface: tokenUsage.surface,
      totalTokens: sql<string>`sum(${tokenUsage.inputTokens} + ${tokenUsage.outputTokens})`,
      costUsd: sql<string>`sum(${tokenUsage.costUsd})::text`,
      calls: sql<string>`count(*)`,
    })
    .from(tokenUsage)
    .where(and(eq(tokenUsage.userId, userId), gte(tokenUsage.createdAt, from), lt(tokenUsage.createdAt, to)))
    .groupBy(tokenUsage.surface)
    .orderBy(asc(tokenUsage.surface));
}

export interface ApplicableBudget {
  scope: 'role' | 'user';
  roleName: string | null;
  limitTokens: number | null;
  limitCostUsd: string | null;
}

/** The user's own budget and those of the named roles, in one query. */
export function budgetsFor(db: Queryable, userId: string, roleNames: string[]): Promise<ApplicableBudget[]> {
  const byRole = roleNames.length ? inArray(roles.name, roleNames) : sql`false`;
  return db
    .select({
      scope: budgets.scope,
      roleName: roles.name,
      limitTokens: budgets.limitTokens,
      limitCostUsd: budgets.limitCostUsd,
    })
    .from(budgets)
    .leftJoin(roles, eq(roles.id, budgets.roleId))
    .where(or(eq(budgets.userId, userId), byRole));
}

const budgetView = {
  id: budgets.id,
  scope: budgets.scope,
  roleId: budgets.roleId,
  role: roles.name,
  userId: budgets.userId,
  userEmail: users.email,
  period: budgets.period,
  limitTokens: budgets.limitTokens,
  limitCostUsd: budgets.limitCostUsd,
  createdAt: budgets.createdAt,
  updatedAt: budgets.updatedAt,
};
function selectBudgets(db: Queryable) {
  return db
    .select(budgetView)
    .from(budgets)
    .leftJoin(roles, eq(roles.id, budgets.roleId))
    .leftJoin(users, eq(users.id, budgets.userId));
}

export function listBudgets(db: Queryable) {
  return selectBudgets(db).orderBy(asc(budgets.scope), asc(roles.name), asc(users.email));
}

export async function findBudget(db: Queryable, id: string) {
  const [row] = await selectBudgets(db).where(eq(budgets.id, id));
  return row;
}

export type BudgetListRow = Awaited<ReturnType<typeof listBudgets>>[number];

export async function insertBudget(db: Queryable, row: NewBudgetRow): Promise<string> {
  const [created] = await db.insert(budgets).values(row).returning({ id: budgets.id });
  return created!.id;
}

export async function updateBudget(
  db: Queryable,
  id: string,
  patch: Partial<NewBudgetRow>,
): Promise<boolean> {
  const rows = await db
    .update(budgets)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(budgets.id, id))
    .returning({ id: budgets.id });
  return rows.length > 0;
}

export async function deleteBudget(db: Queryable, id: string): Promise<boolean> {
  const rows = await db.delete(budgets).where(eq(budgets.id, id)).returning({ id: budgets.id });
  return rows.length > 0;
}
