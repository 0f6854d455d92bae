/**
 * Monthly budgets. Which limit applies to a person: their own (per-user override) if any; else, when every
 * one of their roles has a budget, the most generous of those (a null limit = unlimited in that unit); a
 * role without a budget means no limit. Usage counts input + output tokens and the exact cost of every
 * surface in the calendar month (UTC). Checked before each call; a call that starts under the limit may
 * finish over it (we do not cut answers mid-way).
 */

import type { z } from 'zod';
import type { Queryable } from '../../../db/client';
import { formatPicoUsd, parseUsdToPico, trimUsd } from '../../ai/usage';
import { assertCanAny, assertSignedIn } from '../../lib/authz';
import type { Ctx } from '../../lib/ctx';
import { AppError, type ErrorSurface } from '../../lib/errors';
import type { HotCaches, TtlCache } from '../../lib/hot-cache';
import { pgCode } from '../../lib/pg-errors';
import { parseInput } from '../../lib/validate';
import { perHandle, WriteGroup } from '../../lib/write-group';
import type { AuditService } from '../audit/audit.service';
import { fieldChanges } from '../audit/changes';
import type { RolesService } from '../roles/roles.service';
import { budgetReachedMessage, budgetTooSmallMessage } from './budget-wording';
import {
  type ApplicableBudget,
  type BudgetListRow,
  budgetsFor,
  deleteBudget,
  deleteReservations,
  deleteStaleReservations,
  findBudget,
  insertBudget,
  listBudgets,
  monthTotals,
  type ReservationOutcome,
  type ReservationRequest,
  reserveBudgets,
  updateBudget,
} from './usage.repo';
import {
  BUDGET_CAPABILITIES,
  BudgetInput,
  BudgetPatch,
  type BudgetStatusView,
  type BudgetView,
} from './usage.schemas';

/** [first instant of the month, first instant of the next] in UTC. */
export function monthRange(now: Date): { from: Date; to: Date } {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { from, to };
}

interface Limit {
  source: 'user' | 'role' | 'none';
  limitTokens: number | null;
  limitCostUsd: string | null;
}

/** A live reservation lasts at most this long (beyond any call's total timeout). */
const RESERVATION_TTL_MS = 15 * 60_000;

/** Budget held by a call in flight; `release` once its usage is in the ledger. */
export interface Reservation {
  release(): Promise<void>;
  /** What the budget had left before this reservation (null: that limit does not apply). */
  left: { tokens: number | null; costPicoUsd: bigint | null };
}

const NO_LIMIT: Limit = { source: 'none', limitTokens: null, limitCostUsd: null };

/** Pure: the limit that applies, from the user's budget rows and role names (see the file comment). */
export function effectiveLimit(rows: ApplicableBudget[], roleNames: string[]): Limit {
  const own = rows.find((r) => r.scope === 'user');
  if (own) return { source: 'user', limitTokens: own.limitTokens, limitCostUsd: own.limitCostUsd };
  const roleRows = rows.filter((r) => r.scope === 'role' && r.roleName && roleNames.includes(r.roleName));
  const covered = new Set(roleRows.map((r) => r.roleName));
  if (roleRows.length === 0 || roleNames.some((n) => !covered.has(n))) return NO_LIMIT;
  const tokens = roleRows.map((r) => r.limitTokens);
  const costs = roleRows.map((r) => r.limitCostUsd);
  return {
    source: 'role',
    limitTokens: tokens.includes(null) ? null : Math.max(...(tokens as number[])),
    limitCostUsd: costs.includes(null)
      ? null
      : trimUsd((costs as string[]).reduce((a, b) => (parseUsdToPico(b) > parseUsdToPico(a) ? b : a))),
  };
}

function toView(row: BudgetListRow): BudgetView {
  return {
    id: row.id,
    scope: row.scope,
    roleId: row.roleId,
    role: row.role,
    userId: row.userId,
    userEmail: row.userEmail,
    period: 'month',
    limitTokens: row.limitTokens,
    limitCostUsd: row.limitCostUsd === null ? null : trimUsd(row.limitCostUsd),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Calls that ask for budget while an earlier ask is in flight are reserved together, one statement for all;
 * holds of calls that end together are dropped together (api/lib/write-group.ts).
 */
const reservationsOf = perHandle(
  (db: Queryable) =>
    new WriteGroup<ReservationRequest, ReservationOutcome>({
      write: (asks) => reserveBudgets(db, asks),
      maxBatch: 500,
    }),
);
const releasesOf = perHandle(
  (db: Queryable) => new WriteGroup<string>({ write: (ids) => deleteReservations(db, ids), maxBatch: 500 }),
);

export class BudgetsService {
  /** The budgets that apply to a user with given roles (lib/hot-cache.ts says what clears it). */
  private readonly budgets: TtlCache<ApplicableBudget[]>;

  constructor(
    private readonly deps: { audit: AuditService; roles: RolesService; caches: HotCaches; now?: () => Date },
  ) {
    this.budgets = deps.caches.create({ max: 20_000 });
  }

  private applicable(ctx: Ctx, userId: string): Promise<ApplicableBudget[]> {
    const roles = ctx.actor.roles;
    return this.budgets.getOrLoad(`${userId} ${roles.join(',')}`, () => budgetsFor(ctx.db, userId, roles));
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** The actor's budget this month. People without a user id (system, CLI) have no budget. */
  async status(ctx: Ctx): Promise<BudgetStatusView> {
    const { from, to } = monthRange(this.now());
    const userId = ctx.actor.id;
    const limit = userId ? effectiveLimit(await this.applicable(ctx, userId), ctx.actor.roles) : NO_LIMIT;
    const used = userId ? await monthTotals(ctx.db, userId, from) : { tokens: 0, costUsd: '0' };
    const exceeded =
      (limit.limitTokens !== null && used.tokens >= limit.limitTokens) ||
      (limit.limitCostUsd !== null && parseUsdToPico(used.costUsd) >= parseUsdToPico(limit.limitCostUsd));
    return {
      ...limit,
      usedTokens: used.tokens,
      usedCostUsd: trimUsd(used.costUsd),
      exceeded,
      resetsAt: to.toISOString(),
    };
  }

  /**
   * Throws 429 `budget_exceeded:<surface>` when the actor's monthly budget is used up. Skips the usage sum
   * entirely when no limit applies (the common case), so the check costs one indexed query.
   */
  async assertWithinBudget(ctx: Ctx, surface: ErrorSurface): Promise<void> {
    const userId = ctx.actor.id;
    if (!userId) return;
    const limit = effectiveLimit(await this.applicable(ctx, userId), ctx.actor.roles);
    if (limit.source === 'none' || (limit.limitTokens === null && limit.limitCostUsd === null)) return;
    const status = await this.status(ctx);
    if (!status.exceeded) return;
    throw this.exceededError(surface, status);
  }

  /**
   * Reserves what a call may cost before it starts (issue 9.4): under a per-person advisory lock, the
   * month's kept total plus the live reservations are compared with the limit, and the estimate — capped at
   * what is left — is held until `release` (one statement, shared with the calls asking meanwhile: ADR 027). Throws 429 `budget_exceeded:<surface>` when nothing is left,
   * or when the request's prompt alone (`input`) would take all that is left (issue 15.8: the caller then
   * caps the answer at what remains, so one message cannot overshoot the budget by more than an estimate).
   * Costs nothing (no query beyond the cached budget rows) when no limit applies.
   */
  async reserve(
    ctx: Ctx,
    input: {
      surface: ErrorSurface;
      tokens: number;
      costPicoUsd: bigint;
      /** The prompt's share of the estimate (it is spent whatever the answer). */
      input?: { tokens: number; costPicoUsd: bigint };
    },
  ): Promise<Reservation | null> {
    const userId = ctx.actor.id;
    if (!userId) return null;
    const limit = effectiveLimit(await this.applicable(ctx, userId), ctx.actor.roles);
    if (limit.source === 'none' || (limit.limitTokens === null && limit.limitCostUsd === null)) return null;
    const now = this.now();
    const { from, to } = monthRange(now);
    const outcome = await reservationsOf(ctx.db).submit({
      userId,
      from,
      now,
      expiresAt: new Date(now.getTime() + RESERVATION_TTL_MS),
      limitTokens: limit.limitTokens,
      limitCostUsd: limit.limitCostUsd,
      tokens: input.tokens,
      costUsd: formatPicoUsd(input.costPicoUsd),
      prompt: input.input
        ? { tokens: input.input.tokens, costUsd: formatPicoUsd(input.input.costPicoUsd) }
        : null,
    });
    const usedCost = parseUsdToPico(outcome.usedCostUsd);
    const status = {
      ...limit,
      usedTokens: outcome.usedTokens,
      usedCostUsd: trimUsd(formatPicoUsd(usedCost)),
      exceeded: true,
      resetsAt: to.toISOString(),
    };
    if (outcome.verdict === 'exceeded') throw this.exceededError(input.surface, status);
    if (outcome.verdict === 'too_small')
      throw this.exceededError(input.surface, { ...status, exceeded: false }, budgetTooSmallMessage(status));
    const id = outcome.id!;
    const left: Reservation['left'] = {
      tokens: limit.limitTokens === null ? null : limit.limitTokens - outcome.usedTokens,
      costPicoUsd: limit.limitCostUsd === null ? null : parseUsdToPico(limit.limitCostUsd) - usedCost,
    };
    return { release: () => releasesOf(ctx.db).submit(id), left };
  }

  /** Drops reservations of calls that can no longer be running (expired, or older than `createdBefore`). */
  dropStaleReservations(ctx: Ctx, createdBefore: Date): Promise<number> {
    return deleteStaleReservations(ctx.db, this.now(), createdBefore);
  }

  private exceededError(surface: ErrorSurface, status: BudgetStatusView, message?: string): AppError {
    const resetsAt = new Date(status.resetsAt);
    return new AppError(`budget_exceeded:${surface}`, message ?? budgetReachedMessage(status), {
      details: { ...status },
      headers: {
        'Retry-After': String(Math.max(1, Math.ceil((resetsAt.getTime() - this.now().getTime()) / 1000))),
      },
    });
  }

  // ── Admin ───────────────────────────────────────────────────────────────

  private assertAdmin(ctx: Ctx): void {
    assertSignedIn(ctx.actor);
    assertCanAny(ctx.actor, BUDGET_CAPABILITIES);
  }

  async list(ctx: Ctx): Promise<BudgetView[]> {
    this.assertAdmin(ctx);
    return (await listBudgets(ctx.db)).map(toView);
  }

  async create(ctx: Ctx, input: z.input<typeof BudgetInput>): Promise<BudgetView> {
    this.assertAdmin(ctx);
    const data = parseInput(BudgetInput, input, 'budgets');
    const roleId =
      data.scope === 'role' ? (await this.deps.roles.resolveNames(ctx, [data.role!], 'role'))[0]!.id : null;
    const id = await ctx.db
      .transaction(async (tx) => {
        const created = await insertBudget(tx, {
          scope: data.scope,
          roleId,
          userId: data.scope === 'user' ? data.userId! : null,
          limitTokens: data.limitTokens,
          limitCostUsd: data.limitCostUsd,
        });
        await this.deps.audit.record(
          { ...ctx, db: tx },
          { action: 'budgets.create', targetType: 'budget', targetId: created, details: { ...data } },
        );
        return created;
      })
      .catch((err: unknown) => {
        if (pgCode(err) === '23505') {
          throw new AppError('conflict:budgets', `This ${data.scope} already has a budget; change that one`, {
            details: { fields: { [data.scope === 'role' ? 'role' : 'userId']: 'already has a budget' } },
          });
        }
        if (pgCode(err) === '23503') {
          throw new AppError('not_found:budgets', 'No such user', {
            details: { fields: { userId: 'unknown user' } },
          });
        }
        throw err;
      });
    return toView((await findBudget(ctx.db, id))!);
  }

  async update(ctx: Ctx, id: string, input: z.input<typeof BudgetPatch>): Promise<BudgetView> {
    this.assertAdmin(ctx);
    const patch = parseInput(BudgetPatch, input, 'budgets');
    await ctx.db.transaction(async (tx) => {
      const before = await findBudget(tx, id);
      if (!before || !(await updateBudget(tx, id, patch)))
        throw new AppError('not_found:budgets', 'No such budget');
      const after = (await findBudget(tx, id))!;
      await this.deps.audit.record(
        { ...ctx, db: tx },
        {
          action: 'budgets.update',
          targetType: 'budget',
          targetId: id,
          details: fieldChanges(toView(before), toView(after), ['limitTokens', 'limitCostUsd']),
        },
      );
    });
    return toView((await findBudget(ctx.db, id))!);
  }

  async remove(ctx: Ctx, id: string): Promise<void> {
    this.assertAdmin(ctx);
    await ctx.db.transaction(async (tx) => {
      if (!(await deleteBudget(tx, id))) throw new AppError('not_found:budgets', 'No such budget');
      await this.deps.audit.record(
        { ...ctx, db: tx },
        { action: 'budgets.delete', targetType: 'budget', targetId: id },
      );
    });
  }
}
