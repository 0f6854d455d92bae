/**
 * Model Compare: 2–4 models answer the same prompt in parallel, each in its own column; follow-ups continue
 * every column's own thread; "fuse" asks one model to merge a turn's answers. Runs stream as one SSE body
 * (compare.stream.ts). Rows are written once per column when it ends — never per token — and each model
 * call goes to the shared usage ledger (surface 'compare') after the budget check the chat surface uses.
 */
import type { ModelMessage } from 'ai';
import type { z } from 'zod';
import type { ProviderModel } from '../../ai/providers';
import { formatPicoUsd, tokenCountsFromUsage } from '../../ai/usage';
import { assertCan, assertSignedIn } from '../../lib/authz';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import { isUuid } from '../../lib/ids';
import { parseInput } from '../../lib/validate';
import type { ModelRow } from '../models/models.repo';
import type { ModelsService } from '../models/models.service';
import type { BudgetsService } from '../usage/budgets.service';
import type { UsageService } from '../usage/usage.service';
import {
  appendTurn,
  type ComparisonRow,
  deleteComparison,
  findComparison,
  insertComparison,
  insertResult,
  listComparisonRows,
  type ResultRow,
  turnsWithResults,
} from './compare.repo';
import {
  type ColumnView,
  type CompareEvent,
  type ComparisonSummary,
  type ComparisonView,
  FollowUpInput,
  FuseInput,
  type ResultView,
  StartComparisonInput,
} from './compare.schemas';
import { type ColumnOutcome, estimateColumnUsage, runColumn, sseStream } from './compare.stream';

export const CAPABILITY = 'compare:use';

/** What compare needs from the shared usage ledger and budgets (api/features/usage). */
export interface CompareDeps {
  models: Pick<ModelsService, 'getUsable' | 'languageModel'>;
  usage: Pick<UsageService, 'record'>;
  budgets: Pick<BudgetsService, 'assertWithinBudget'>;
}

export interface CompareRun {
  comparisonId: string;
  turnId: string;
  body: ReadableStream<Uint8Array>;
}

const FUSION_COLUMN = -1;

function toResultView(r: ResultRow): ResultView {
  return {
    id: r.id,
    kind: r.kind,
    column: r.column,
    modelId: r.modelId,
    modelName: r.modelName,
    text: r.text,
    status: r.status,
    error: r.error,
    ttftMs: r.ttftMs,
    durationMs: r.durationMs,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    tokensPerSecond: r.tokensPerSecond === null ? null : Number(r.tokensPerSecond),
    costUsd: r.costUsd,
  };
}

/** A short title from the prompt's first line. */
export function titleFromPrompt(prompt: string): string {
  const line = prompt.trim().split('\n')[0]!.replace(/\s+/g, ' ');
  return line.length > 80 ? `${line.slice(0, 77).trimEnd()}…` : line;
}

export function fusionPrompt(prompt: string, answers: Array<{ modelName: string; text: string }>): string {
  const blocks = answers
    .map((a, i) => `### Answer ${i + 1} (${a.modelName})\n\n${a.text.trim()}`)
    .join('\n\n');
  return [
    'Several AI models answered the same request. Merge their answers into one answer that keeps what is',
    'correct and useful from each, resolves disagreements (say so where they could not be resolved), and',
    'drops repetition. Answer the request directly; do not describe the individual answers.',
    '',
    `## Request\n\n${prompt}`,
    '',
    `## Answers\n\n${blocks}`,
  ].join('\n');
}

export class CompareService {
  constructor(private readonly deps: CompareDeps) {}

  async list(ctx: Ctx, limit = 30): Promise<ComparisonSummary[]> {
    const userId = this.assertUser(ctx);
    const rows = await listComparisonRows(ctx.db, userId, limit);
    return rows.map((r) => this.summary(r));
  }

  async get(ctx: Ctx, id: string): Promise<ComparisonView> {
    const userId = this.assertUser(ctx);
    const row = await this.require(ctx, userId, id);
    const turns = await turnsWithResults(ctx.db, row.id);
    return {
      ...this.summary(row),
      systemPrompt: row.systemPrompt,
      turns: turns.map((t) => ({
        id: t.id,
        position: t.position,
        prompt: t.prompt,
        createdAt: t.createdAt.toISOString(),
        results: t.results.map(toResultView),
      })),
    };
  }

  async remove(ctx: Ctx, id: string): Promise<void> {
    const userId = this.assertUser(ctx);
    if (!isUuid(id) || !(await deleteComparison(ctx.db, userId, id))) {
      throw new AppError('not_found:compare', 'No such comparison');
    }
  }

  /** Creates the comparison and its first turn; the returned body streams every column's answer. */
  async start(
    ctx: Ctx,
    input: z.input<typeof StartComparisonInput>,
    signal?: AbortSignal,
  ): Promise<CompareRun> {
    const userId = this.assertUser(ctx);
    const data = parseInput(StartComparisonInput, input, 'compare');
    const models = await this.usableModels(ctx, data.modelIds);
    await this.deps.budgets.assertWithinBudget(ctx, 'compare');
    const comparison = await insertComparison(ctx.db, {
      userId,
      title: titleFromPrompt(data.prompt),
      modelIds: data.modelIds,
      modelNames: models.map((m) => m.displayName),
      systemPrompt: data.systemPrompt || null,
    });
    const turn = await appendTurn(ctx.db, comparison.id, data.prompt);
    const history = [{ role: 'user' as const, content: data.prompt }];
    return this.runAnswers(ctx, comparison, turn.id, models, () => history, signal);
  }

  /** A follow-up: every model continues its own thread (its earlier answers, not the others'). */
  async followUp(
    ctx: Ctx,
    id: string,
    input: z.input<typeof FollowUpInput>,
    signal?: AbortSignal,
  ): Promise<CompareRun> {
    const userId = this.assertUser(ctx);
    const { prompt } = parseInput(FollowUpInput, input, 'compare');
    const comparison = await this.require(ctx, userId, id);
    const models = await this.usableModels(ctx, comparison.modelIds);
    await this.deps.budgets.assertWithinBudget(ctx, 'compare');
    const earlier = await turnsWithResults(ctx.db, comparison.id);
    const turn = await appendTurn(ctx.db, comparison.id, prompt);
    const historyOf = (column: number): ModelMessage[] => [
      ...earlier.flatMap((t): ModelMessage[] => {
        const answer = t.results.find((r) => r.kind === 'answer' && r.column === column);
        return [
          { role: 'user', content: t.prompt },
          { role: 'assistant', content: answer?.text || '(no answer)' },
        ];
      }),
      { role: 'user', content: prompt },
    ];
    return this.runAnswers(ctx, comparison, turn.id, models, historyOf, signal);
  }

  /** One model merges a turn's answers (the latest turn by default) into a single answer. */
  async fuse(
    ctx: Ctx,
    id: string,
    input: z.input<typeof FuseInput>,
    signal?: AbortSignal,
  ): Promise<CompareRun> {
    const userId = this.assertUser(ctx);
    const data = parseInput(FuseInput, input, 'compare');
    const comparison = await this.require(ctx, userId, id);
    const [model] = await this.usableModels(ctx, [data.modelId]);
    const turns = await turnsWithResults(ctx.db, comparison.id);
    const turn = data.turnId ? turns.find((t) => t.id === data.turnId) : turns.at(-1);
    if (!turn) throw new AppError('not_found:compare', 'No such turn in this comparison');
    const answers = turn.results.filter((r) => r.kind === 'answer' && r.text.trim());
    if (answers.length < 2) {
      throw new AppError('conflict:compare', 'At least two answers are needed to fuse');
    }
    await this.deps.budgets.assertWithinBudget(ctx, 'compare');
    const messages: ModelMessage[] = [{ role: 'user', content: fusionPrompt(turn.prompt, answers) }];
    const column: ColumnView = { column: FUSION_COLUMN, modelId: model!.id, modelName: model!.displayName };
    const body = sseStream(async (emit, abort) => {
      emit({
        type: 'start',
        comparisonId: comparison.id,
        turnId: turn.id,
        kind: 'fusion',
        columns: [column],
      });
      const [provider] = await this.buildModels(ctx, [model!]);
      await this.runOne(ctx, {
        comparison,
        turnId: turn.id,
        model: model!,
        provider: provider!,
        column,
        messages,
        emit,
        abort,
      });
    }, signal);
    return { comparisonId: comparison.id, turnId: turn.id, body };
  }

  private runAnswers(
    ctx: Ctx,
    comparison: ComparisonRow,
    turnId: string,
    models: ModelRow[],
    historyOf: (column: number) => ModelMessage[],
    signal?: AbortSignal,
  ): CompareRun {
    const columns = models.map((m, i) => ({ column: i, modelId: m.id, modelName: m.displayName }));
    const body = sseStream(async (emit, abort) => {
      emit({ type: 'start', comparisonId: comparison.id, turnId, kind: 'answer', columns });
      // Credentials first, for every column, so the upstream calls leave together and compare fairly.
      const providers = await this.buildModels(ctx, models);
      await Promise.all(
        models.map((model, i) =>
          this.runOne(ctx, {
            comparison,
            turnId,
            model,
            provider: providers[i]!,
            column: columns[i]!,
            messages: historyOf(i),
            emit,
            abort,
          }),
        ),
      );
    }, signal);
    return { comparisonId: comparison.id, turnId, body };
  }

  /** Streams one column, then saves its result and its usage (a failure here never breaks the others). */
  private async runOne(
    ctx: Ctx,
    run: {
      comparison: ComparisonRow;
      turnId: string;
      model: ModelRow;
      provider: PromiseSettledResult<ProviderModel>;
      column: ColumnView;
      messages: ModelMessage[];
      emit: (e: CompareEvent) => void;
      abort: AbortSignal;
    },
  ): Promise<void> {
    const { model, column, emit } = run;
    let outcome: ColumnOutcome;
    try {
      if (run.provider.status === 'rejected') throw run.provider.reason;
      outcome = await runColumn({
        model: run.provider.value,
        system: run.comparison.systemPrompt ?? undefined,
        messages: run.messages,
        signal: run.abort,
        maxOutputTokens: model.maxOutputTokens ?? undefined,
        onText: (delta) => emit({ type: 'text', column: column.column, delta }),
        onFirstToken: (ttftMs) => emit({ type: 'first-token', column: column.column, ttftMs }),
      });
    } catch (err) {
      // Building the model failed (e.g. the provider is not configured): a failed column, not a failed run.
      outcome = {
        text: '',
        status: 'failed',
        error: (err as Error).message,
        ttftMs: null,
        durationMs: 0,
        usage: undefined,
        tokensPerSecond: null,
      };
    }
    // No usage frame but text arrived (stopped, cut): bill an estimate, flagged in the ledger.
    const estimated = !outcome.usage && outcome.ttftMs !== null;
    const tokens = outcome.usage
      ? tokenCountsFromUsage(outcome.usage)
      : estimated
        ? estimateColumnUsage(run.comparison.systemPrompt, run.messages, outcome.text)
        : null;
    try {
      // The result and its ledger row are written together, once, when the column ends.
      const row = await ctx.db.transaction(async (tx) => {
        const cost = tokens
          ? await this.deps.usage.record(tx, {
              userId: ctx.actor.id,
              model,
              surface: 'compare',
              tokens,
              requestId: ctx.requestId,
              subjectId: run.comparison.id,
              estimated,
            })
          : null;
        return insertResult(tx, {
          turnId: run.turnId,
          kind: column.column === FUSION_COLUMN ? 'fusion' : 'answer',
          column: column.column,
          modelId: model.id,
          modelName: model.displayName,
          text: outcome.text,
          status: outcome.status,
          error: outcome.error,
          ttftMs: outcome.ttftMs,
          durationMs: outcome.durationMs,
          inputTokens: tokens?.inputTokens ?? 0,
          outputTokens: tokens?.outputTokens ?? 0,
          tokensPerSecond: outcome.tokensPerSecond === null ? null : outcome.tokensPerSecond.toFixed(2),
          costUsd: cost ? cost.usd : formatPicoUsd(0n),
        });
      });
      emit({ type: 'result', column: column.column, result: toResultView(row) });
    } catch (err) {
      ctx.log.error({ err, comparisonId: run.comparison.id }, 'compare: saving a result failed');
      emit({ type: 'error', message: `Saving the answer of ${model.displayName} failed` });
    }
  }

  private buildModels(ctx: Ctx, models: ModelRow[]): Promise<PromiseSettledResult<ProviderModel>[]> {
    return Promise.allSettled(models.map((m) => this.deps.models.languageModel(ctx, m)));
  }

  private async usableModels(ctx: Ctx, ids: string[]): Promise<ModelRow[]> {
    return Promise.all(ids.map((id) => this.deps.models.getUsable(ctx, id, 'compare')));
  }

  private summary(row: ComparisonRow): ComparisonSummary {
    return {
      id: row.id,
      title: row.title,
      models: row.modelIds.map((modelId, column) => ({
        column,
        modelId,
        modelName: row.modelNames[column] ?? 'Model',
      })),
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  private async require(ctx: Ctx, userId: string, id: string): Promise<ComparisonRow> {
    const row = isUuid(id) ? await findComparison(ctx.db, userId, id) : undefined;
    if (!row) throw new AppError('not_found:compare', 'No such comparison');
    return row;
  }

  private assertUser(ctx: Ctx): string {
    assertCan(ctx.actor, CAPABILITY);
    assertSignedIn(ctx.actor);
    return ctx.actor.id;
  }
}
