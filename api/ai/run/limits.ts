/**
 * Admission of model calls, per person (issue 9.4): a rate limit on the interactive surfaces (chat,
 * compare), a cap on answers streaming at once, and the monthly budget — with an estimate of the call
 * reserved before it starts (budgets.service.ts `reserve`), so fifty parallel calls with a hundred tokens
 * left cannot all start. The admission is released when the call's usage is in the ledger.
 * The concurrent-stream count is a slot of the rate limiter's store: in Redis with REDIS_URL, so the cap
 * holds across server processes (WEB_CONCURRENCY) and instances; else per process.
 */
import type { UsageSurface } from '../../../db/schema/index';
import { wholeNumberSetting } from '../../features/settings/setting-schemas';
import { defineSettings } from '../../features/settings/settings.registry';
import type { BudgetsService, Reservation } from '../../features/usage/budgets.service';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import type { ApiRateLimiter } from '../../lib/rate-limit';
import { computeCost, type ModelPrices, type TokenCounts } from '../usage';

export const MAX_CONCURRENT_KEY = 'ai.max_concurrent_streams';
export const RATE_PER_MINUTE_KEY = 'ai.requests_per_minute';

defineSettings([
  {
    key: MAX_CONCURRENT_KEY,
    label: 'Answers streaming at once, per person',
    category: 'limits',
    description:
      'Answers one person may have streaming at once (chat, compare, API); more are refused with 429 (0 = no limit)',
    default: '20',
    schema: wholeNumberSetting(0, 10_000),
  },
  {
    key: RATE_PER_MINUTE_KEY,
    label: 'Chat messages and comparisons per minute, per person',
    category: 'limits',
    description:
      'Chat messages and comparisons one person may start per minute; more are refused with 429 (0 = no limit)',
    default: '120',
    schema: wholeNumberSetting(0, 100_000),
  },
]);

const ZERO: TokenCounts = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0 };

/** Surfaces a person drives by hand; the API has its own per-key limit (api/middleware). */
const RATE_LIMITED: ReadonlySet<UsageSurface> = new Set(['chat', 'compare']);

export interface Admission {
  /** Idempotent. Call once the call's usage is recorded (or it never ran). */
  release(): Promise<void>;
  /**
   * The most output tokens one of the request's calls may produce within the budget (what is left after
   * the prompts, shared evenly between the calls), or null when no budget limits it.
   */
  outputCap(prices: ModelPrices): number | null;
}

export interface AdmitInput {
  surface: UsageSurface;
  /** What each call of the request may use at most, and its model's prices (the budget reservation). */
  calls: Array<{ estimate: TokenCounts; prices: ModelPrices }>;
}

export class RunLimits {
  constructor(
    private readonly deps: {
      settings: { getNumber(ctx: Ctx, key: string, fallback: number): Promise<number> };
      rateLimiter: Pick<ApiRateLimiter, 'consume' | 'enterSlot'>;
      budgets: Pick<BudgetsService, 'reserve'>;
    },
  ) {}

  /** Throws 429 (`rate_limit:<surface>` or `budget_exceeded:<surface>`) when the call may not start. */
  async admit(ctx: Ctx, input: AdmitInput): Promise<Admission> {
    const userId = ctx.actor.id;
    // System jobs and the CLI have no person to limit.
    if (!userId) return { release: async () => {}, outputCap: () => null };
    const [maxStreams, perMinute] = await Promise.all([
      this.deps.settings.getNumber(ctx, MAX_CONCURRENT_KEY, 20),
      RATE_LIMITED.has(input.surface) ? this.deps.settings.getNumber(ctx, RATE_PER_MINUTE_KEY, 120) : 0,
    ]);
    if (perMinute > 0) {
      const decision = await this.deps.rateLimiter.consume(`model-calls:${userId}`, perMinute);
      if (!decision.allowed) {
        const seconds = Math.max(1, Math.ceil(decision.resetMs / 1000));
        throw new AppError(
          `rate_limit:${input.surface}`,
          `Too many requests: at most ${perMinute} a minute. Try again in ${seconds} s.`,
          { headers: { 'Retry-After': String(seconds) } },
        );
      }
    }
    const slot = await this.deps.rateLimiter.enterSlot(`streams:${userId}`, maxStreams);
    if (!slot.allowed) {
      throw new AppError(
        `rate_limit:${input.surface}`,
        `You already have ${slot.running} answers running (the most at once). Wait for one to finish.`,
        { headers: { 'Retry-After': '5' } },
      );
    }
    let reservation: Reservation | null = null;
    const prompts = input.calls.map((c) => ({ ...c.estimate, outputTokens: 0, reasoningTokens: 0 }));
    const promptTokens = prompts.reduce((n, p) => n + p.inputTokens, 0);
    const promptCost = input.calls.reduce((n, c, i) => n + computeCost(prompts[i]!, c.prices).picoUsd, 0n);
    try {
      reservation = await this.deps.budgets.reserve(ctx, {
        surface: input.surface,
        tokens: input.calls.reduce((n, c) => n + c.estimate.inputTokens + c.estimate.outputTokens, 0),
        costPicoUsd: input.calls.reduce((n, c) => n + computeCost(c.estimate, c.prices).picoUsd, 0n),
        input: { tokens: promptTokens, costPicoUsd: promptCost },
      });
    } catch (err) {
      await slot.leave();
      throw err;
    }
    let released = false;
    const calls = BigInt(input.calls.length || 1);
    const left = reservation?.left;
    return {
      outputCap: (prices) => {
        if (!left) return null;
        const byTokens =
          left.tokens === null ? null : Math.floor((left.tokens - promptTokens) / Number(calls));
        const perToken = computeCost({ ...ZERO, outputTokens: 1 }, prices).picoUsd;
        const byCost =
          left.costPicoUsd === null || perToken === 0n
            ? null
            : Number((left.costPicoUsd - promptCost) / calls / perToken);
        const caps = [byTokens, byCost].filter((c): c is number => c !== null);
        return caps.length ? Math.max(1, Math.min(...caps)) : null;
      },
      release: async () => {
        if (released) return;
        released = true;
        await slot.leave();
        await reservation?.release();
      },
    };
  }
}
