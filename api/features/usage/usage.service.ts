/**
 * The usage ledger: every model call on every surface records one token_usage row with the tokens the
 * provider reported and the cost at the model's prices of that moment (api/ai/usage.ts, exact). Reading it
 * back: "My usage" per month. Budgets live in budgets.service.ts.
 */
import type { Queryable } from '../../../db/client';
import type { UsageSurface } from '../../../db/schema/index';
import { type Cost, computeCost, type ModelPrices, type TokenCounts, trimUsd } from '../../ai/usage';
import { assertSignedIn } from '../../lib/authz';
import type { Ctx } from '../../lib/ctx';
import { parseInput } from '../../lib/validate';
import type { BudgetsService } from './budgets.service';
import { monthRange } from './budgets.service';
import { insertUsage, type NewUsageRow, usageByModel, usageBySurface, userTotals } from './usage.repo';
import { Month, type MyUsageView } from './usage.schemas';

export interface UsageEntry {
  userId: string | null;
  model: { id: string } & ModelPrices;
  surface: UsageSurface;
  tokens: TokenCounts;
  requestId: string | null;
  /** The conversation, comparison … the call belonged to. */
  subjectId?: string | null;
  /** The provider reported no usage; `tokens` are an estimate (api/ai/usage.ts estimateTokens). */
  estimated?: boolean;
  at?: Date;
}

export class UsageService {
  constructor(private readonly deps: { budgets: BudgetsService }) {}

  /** The ledger row for a call and its cost (for callers that write it inside their own statement). */
  row(entry: UsageEntry): { row: NewUsageRow; cost: Cost } {
    const cost = computeCost(entry.tokens, entry.model);
    return {
      cost,
      row: {
        userId: entry.userId,
        modelId: entry.model.id,
        surface: entry.surface,
        inputTokens: entry.tokens.inputTokens,
        outputTokens: entry.tokens.outputTokens,
        cachedInputTokens: entry.tokens.cachedInputTokens,
        reasoningTokens: entry.tokens.reasoningTokens,
        costUsd: cost.usd,
        inputPricePerMillion: entry.model.inputPricePerMillion,
        outputPricePerMillion: entry.model.outputPricePerMillion,
        cachedInputPricePerMillion: entry.model.cachedInputPricePerMillion,
        requestId: entry.requestId,
        subjectId: entry.subjectId ?? null,
        estimated: entry.estimated ?? false,
        createdAt: entry.at ?? new Date(),
      },
    };
  }

  /**
   * Writes one ledger row and returns the cost. Takes a Queryable so callers write it in the same
   * transaction as their own result (an answer and its usage are saved together or not at all).
   */
  async record(db: Queryable, entry: UsageEntry): Promise<Cost> {
    const { row, cost } = this.row(entry);
    await insertUsage(db, row);
    return cost;
  }

  /** The signed-in person's usage in a month (YYYY-MM, default this month) and this month's budget. */
  async myUsage(ctx: Ctx, month?: string): Promise<MyUsageView> {
    assertSignedIn(ctx.actor);
    const m = month ? parseInput(Month, month, 'usage') : new Date().toISOString().slice(0, 7);
    const [y, mo] = m.split('-').map(Number);
    const { from, to } = monthRange(new Date(Date.UTC(y!, mo! - 1, 1)));
    const userId = ctx.actor.id;
    const [totals, models, surfaces, budget] = await Promise.all([
      userTotals(ctx.db, userId, from, to),
      usageByModel(ctx.db, userId, from, to),
      usageBySurface(ctx.db, userId, from, to),
      this.deps.budgets.status(ctx),
    ]);
    const byModel = models.map((r) => ({
      modelId: r.modelId,
      displayName: r.displayName,
      inputTokens: Number(r.inputTokens),
      outputTokens: Number(r.outputTokens),
      cachedInputTokens: Number(r.cachedInputTokens),
      costUsd: trimUsd(r.costUsd),
      calls: Number(r.calls),
    }));
    const sum = (k: 'inputTokens' | 'outputTokens' | 'cachedInputTokens') =>
      byModel.reduce((a, r) => a + r[k], 0);
    return {
      month: m,
      inputTokens: sum('inputTokens'),
      outputTokens: sum('outputTokens'),
      cachedInputTokens: sum('cachedInputTokens'),
      totalTokens: totals.tokens,
      costUsd: trimUsd(totals.costUsd),
      calls: byModel.reduce((a, r) => a + r.calls, 0),
      byModel,
      bySurface: surfaces.map((r) => ({
        surface: r.surface,
        totalTokens: Number(r.totalTokens),
        costUsd: trimUsd(r.costUsd),
        calls: Number(r.calls),
      })),
      budget,
    };
  }
}
