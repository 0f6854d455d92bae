/**
 * The one model-call core (issue 10.1). Every model call — chat, compare, the OpenAI-compatible gateway,
 * MCP tools, assistant prompts — goes through `start` (streaming, typed events) or `runOnce` (text +
 * usage). It checks permission, admits the call (rate, concurrency, budget reservation: limits.ts), runs the
 * provider stream with abort, idle and total timeouts (model-run.ts), words failures with one vocabulary
 * (upstream-errors.ts), bills once with one estimate policy (billing.ts) and writes the ledger row — or
 * hands it to the caller's `persist` so an answer and its usage are saved in one statement.
 * It returns data and events, never an HTTP response: each surface adapts them to its own wire format.
 */

import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import type { ModelSurface, UsageSurface } from '../../../db/schema/index';
import type { ModelRow } from '../../features/models/models.repo';
import type { ModelsService } from '../../features/models/models.service';
import type { NewUsageRow } from '../../features/usage/usage.repo';
import type { UsageService } from '../../features/usage/usage.service';
import { assertCan } from '../../lib/authz';
import type { Capability } from '../../lib/capabilities';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import { chatCompletionsTarget, type ProviderModel } from '../providers';
import { estimateTokens, promptSize, type TokenCounts } from '../usage';
import type { RunEvent, RunResult } from './events';
import type { Admission, RunLimits } from './limits';
import { type CallSettings, type ModelRun, startPump } from './model-run';
import { chatCompletionsBody } from './openai-relay';
import { type SimpleMessage, toPrompt } from './prompt';
import { RUN_ERROR_STATUS } from './upstream-errors';

/** A registry model and its provider model, as `resolve` returns them. */
export interface ResolvedModel {
  row: ModelRow;
  provider: ProviderModel;
}

/** The capability each ledger surface requires (the model grant is checked by `resolve`). */
const SURFACE_CAPABILITY: Record<UsageSurface, Capability> = {
  chat: 'chat:use',
  compare: 'compare:use',
  api: 'chat:use',
  assistants: 'assistants:use',
  knowledge: 'knowledge:use',
};

/** Output the budget reservation assumes when neither the call nor the model caps it. */
const DEFAULT_OUTPUT_RESERVE = 4_096;

export interface ModelCall {
  surface: UsageSurface;
  model: ResolvedModel;
  prompt: LanguageModelV3Prompt;
  settings?: CallSettings;
  /** Aborting it stops the call (the answer is kept as `stopped`). */
  signal?: AbortSignal;
  /** What the call belongs to (conversation, comparison …), for the ledger. */
  subjectId?: string | null;
  /** Retry once before any byte on a retryable failure (chat does; measurements and the API do not). */
  retryOnce?: boolean;
  /** An admission shared by several calls of one request (compare's columns); else the call admits itself. */
  admission?: Admission;
  onEvent?(event: RunEvent): void;
  /** Partial saves while text arrives (at most every `ModelCalls.checkpointMs`). */
  onCheckpoint?(progress: { text: string; reasoning: string }): Promise<void>;
  /**
   * Saves the result together with its ledger row (null when nothing is billed) in one write. Without it
   * the core writes the ledger row alone.
   */
  persist?(result: RunResult, ledger: NewUsageRow | null): Promise<void>;
}

export interface RunOnceInput {
  surface: UsageSurface;
  /** An ai_models id the actor may use on `purpose` (default: chat). */
  modelId: string;
  purpose?: ModelSurface;
  system?: string;
  messages: SimpleMessage[];
  maxOutputTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
  subjectId?: string | null;
}

export interface RunOnceResult {
  text: string;
  status: 'complete' | 'stopped';
  finishReason: RunResult['finishReason'];
  usage: TokenCounts;
  /** True when the provider reported no usage and the tokens are estimated. */
  estimated: boolean;
  costUsd: string;
  ttftMs: number | null;
  latencyMs: number;
}

export class ModelCalls {
  /** No upstream data for this long fails a call, on every surface (tests lower it). */
  idleTimeoutMs = 120_000;
  /** Upper bound of one call, streaming or not. */
  totalTimeoutMs = 10 * 60_000;
  /** How often callers that keep partial answers (`onCheckpoint`) save them while text arrives. */
  checkpointMs = 3_000;
  /** Relay OpenAI chat completions to a model that speaks them without the provider package (ADR 020). */
  lightRelay = true;
  private readonly running = new Set<ModelRun>();

  constructor(
    private readonly deps: {
      models: Pick<ModelsService, 'getUsable' | 'languageModel'>;
      usage: Pick<UsageService, 'row' | 'record'>;
      limits: RunLimits;
    },
  ) {}

  get activeRuns(): number {
    return this.running.size;
  }

  /** The registry model (grant checked for `purpose`) and its provider model. */
  async resolve(ctx: Ctx, modelId: string, purpose: ModelSurface): Promise<ResolvedModel> {
    const row = await this.deps.models.getUsable(ctx, modelId, purpose);
    return { row, provider: await this.deps.models.languageModel(ctx, row) };
  }

  /** What a call may cost at most: its prompt, and its output cap (the call's, the model's, or a default). */
  estimate(prompt: LanguageModelV3Prompt, row: ModelRow, maxOutputTokens?: number): TokenCounts {
    return {
      inputTokens: estimateTokens(promptSize(prompt)),
      outputTokens: maxOutputTokens ?? row.maxOutputTokens ?? DEFAULT_OUTPUT_RESERVE,
      cachedInputTokens: 0,
      reasoningTokens: 0,
    };
  }

  /**
   * Admits a request (rate, concurrent answers, budget reservation for all its calls), for calls that
   * pass it as `admission` (compare's columns share one). Throws 403 or 429.
   */
  admit(
    ctx: Ctx,
    surface: UsageSurface,
    calls: Array<{ prompt: LanguageModelV3Prompt; row: ModelRow; maxOutputTokens?: number }>,
  ): Promise<Admission> {
    assertCan(ctx.actor, SURFACE_CAPABILITY[surface]);
    return this.deps.limits.admit(ctx, {
      surface,
      calls: calls.map((c) => ({
        estimate: this.estimate(c.prompt, c.row, c.maxOutputTokens),
        prices: c.row,
      })),
    });
  }

  /**
   * Starts a call. Throws (before anything is sent upstream) when the actor may not make it: 403, or 429
   * `rate_limit:<surface>` / `budget_exceeded:<surface>`. After that, failures are data: the run ends with
   * a `finish` event whose result says `failed` and why.
   */
  async start(ctx: Ctx, call: ModelCall): Promise<ModelRun> {
    const { row } = call.model;
    const own = call.admission
      ? null
      : await this.admit(ctx, call.surface, [
          { prompt: call.prompt, row, maxOutputTokens: call.settings?.maxOutputTokens },
        ]);
    const context = { modelId: row.id, surface: call.surface, subjectId: call.subjectId ?? undefined };
    // The answer stops where the budget does (issue 15.8): at most what is left after the prompt.
    const budgeted = withOutputCap(call, (call.admission ?? own)?.outputCap(row) ?? null);
    const run = startPump({
      provider: call.model.provider,
      prompt: call.prompt,
      settings: budgeted.settings,
      relay: this.relayOf(budgeted),
      prices: row,
      idleTimeoutMs: this.idleTimeoutMs,
      totalTimeoutMs: this.totalTimeoutMs,
      retryOnce: call.retryOnce ?? false,
      signal: call.signal,
      onEvent: call.onEvent,
      onCheckpoint: call.onCheckpoint,
      checkpointMs: this.checkpointMs,
      log: ctx.log,
      logContext: context,
      finalize: async (result) => {
        try {
          const ledger = this.ledgerRow(ctx, call, result);
          if (call.persist) await call.persist(result, ledger);
          else if (ledger) await this.deps.usage.record(ctx.db, ledgerEntry(ctx, call, result));
        } catch (err) {
          ctx.log.error({ err, ...context }, 'model call: saving the result or its usage failed');
        } finally {
          this.running.delete(run);
          await own?.release().catch((err: unknown) => {
            ctx.log.warn({ err, ...context }, 'model call: releasing the budget reservation failed');
          });
        }
      },
    });
    this.running.add(run);
    return run;
  }

  /** `start` as an async iterable of events (ends after `finish`). */
  async *events(ctx: Ctx, call: Omit<ModelCall, 'onEvent'>): AsyncGenerator<RunEvent> {
    const queue: RunEvent[] = [];
    let wake: (() => void) | null = null;
    let ended = false;
    await this.start(ctx, {
      ...call,
      onEvent: (e) => {
        queue.push(e);
        if (e.type === 'finish') ended = true;
        wake?.();
      },
    });
    for (;;) {
      const next = queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (ended) return;
      await new Promise<void>((r) => {
        wake = r;
      });
      wake = null;
    }
  }

  /**
   * One model call to its end, for callers that want the answer, not a stream (MCP tools, assistant
   * prompts, titles). Throws 429 as `start` does, and an `upstream:provider` AppError (with the worded
   * reason and `details.code`) when the call fails.
   */
  async runOnce(ctx: Ctx, input: RunOnceInput): Promise<RunOnceResult> {
    const model = await this.resolve(ctx, input.modelId, input.purpose ?? 'chat');
    const run = await this.start(ctx, {
      surface: input.surface,
      model,
      prompt: toPrompt(input.system, input.messages),
      settings: { maxOutputTokens: input.maxOutputTokens, temperature: input.temperature },
      signal: input.signal,
      subjectId: input.subjectId,
    });
    const r = await run.done;
    if (r.status === 'failed') {
      const code = r.error?.code ?? 'interrupted';
      throw new AppError('upstream:provider', r.error?.message ?? 'The model call failed', {
        status: RUN_ERROR_STATUS[code],
        details: { code },
      });
    }
    return {
      text: r.text,
      status: r.status,
      finishReason: r.finishReason,
      usage: r.billed.tokens,
      estimated: r.billed.estimated,
      costUsd: r.costUsd,
      ttftMs: r.ttftMs,
      latencyMs: r.latencyMs,
    };
  }

  /**
   * Graceful shutdown (issue 10.6): waits up to `timeoutMs` for running calls to finish; the rest are
   * failed with `reason` and saved (partial text, estimate billed) before this returns.
   */
  async drain(timeoutMs: number, reason: string): Promise<void> {
    const all = () => Promise.allSettled([...this.running].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      all().then(() => false),
      new Promise<boolean>((r) => {
        timer = setTimeout(() => r(true), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (!timedOut) return;
    for (const run of this.running) run.fail(reason);
    await all();
  }

  /**
   * Where and what to send when the upstream speaks OpenAI chat completions and the call needs nothing the
   * provider package adds (files, tools, provider options: `chatCompletionsBody` answers null), else null.
   * Every surface (gateway, chat, compare, MCP) then reads the upstream with the light parser
   * (openai-relay.ts), which yields the same events.
   */
  private relayOf(call: Pick<ModelCall, 'model' | 'prompt' | 'settings'>) {
    if (!this.lightRelay) return null;
    const target = chatCompletionsTarget(call.model.provider);
    const body = target && chatCompletionsBody(target, call.prompt, call.settings);
    return target && body ? { target, body } : null;
  }

  private ledgerRow(ctx: Ctx, call: ModelCall, r: RunResult): NewUsageRow | null {
    const t = r.billed.tokens;
    if (t.inputTokens + t.outputTokens === 0) return null;
    return this.deps.usage.row(ledgerEntry(ctx, call, r)).row;
  }
}

function ledgerEntry(ctx: Ctx, call: ModelCall, r: RunResult) {
  return {
    userId: ctx.actor.id,
    model: call.model.row,
    surface: call.surface,
    tokens: r.billed.tokens,
    estimated: r.billed.estimated,
    requestId: ctx.requestId,
    subjectId: call.subjectId ?? null,
  };
}

/**
 * The call with `maxOutputTokens` lowered to `cap` when the cap is below what its estimate reserved (its own
 * limit, the model's, or the default reserve): never raised, so no provider sees a limit above its usual.
 */
function withOutputCap(call: ModelCall, cap: number | null): ModelCall {
  const own = call.settings?.maxOutputTokens ?? call.model.row.maxOutputTokens ?? DEFAULT_OUTPUT_RESERVE;
  return cap === null || cap >= own
    ? call
    : { ...call, settings: { ...call.settings, maxOutputTokens: cap } };
}
