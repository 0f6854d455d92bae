/**
 * Model Compare: 2–4 models answer the same prompt in parallel, each in its own column; follow-ups continue
 * every column's own thread; "fuse" asks one model to merge a turn's answers. Runs stream as one SSE body
 * (compare.stream.ts). Rows are written once per column when it ends — never per token — and each model
 * call goes to the shared usage ledger (surface 'compare') after the budget check the chat surface uses.
 */
import type { z } from 'zod';
import type { ProviderModel } from '../../ai/providers';
import type { Admission, ModelCalls, SimpleMessage } from '../../ai/run';
import { toPrompt } from '../../ai/run';
import { assertCan, assertSignedIn } from '../../lib/authz';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import { isUuid } from '../../lib/ids';
import { parseInput } from '../../lib/validate';
import type { ModelRow } from '../models/models.repo';
import type { ModelsService } from '../models/models.service';
import { FUSION_COLUMN, runColumn } from './compare.column';
import {
  appendTurn,
  type ComparisonRow,
  deleteComparison,
  failStaleResults,
  findComparison,
  insertComparison,
  listComparisonRows,
  renameComparison,
  turnsWithResults,
} from './compare.repo';
import {
  type ColumnView,
  type ComparisonSummary,
  type ComparisonView,
  FollowUpInput,
  FuseInput,
  RenameComparisonInput,
  StartComparisonInput,
} from './compare.schemas';
import { compareStream } from './compare.stream';
import { fusionPrompt, titleFromPrompt, toResultView, toSummary } from './compare.views';

export const CAPABILITY = 'compare:use';

/** Compare reads models through the registry and calls them through the model-call core. */
export interface CompareDeps {
  models: Pick<ModelsService, 'getUsable' | 'languageModel'>;
  calls: ModelCalls;
}

export const INTERRUPTED_RESULT =
  'The answer was interrupted because the server stopped. Run the comparison again.';

export interface CompareRun {
  comparisonId: string;
  turnId: string;
  body: ReadableStream<Uint8Array>;
}

export class CompareService {
  constructor(private readonly deps: CompareDeps) {}

  async list(ctx: Ctx, limit = 30): Promise<ComparisonSummary[]> {
    const userId = this.assertUser(ctx);
    const rows = await listComparisonRows(ctx.db, userId, limit);
    return rows.map((r) => toSummary(r));
  }

  async get(ctx: Ctx, id: string): Promise<ComparisonView> {
    const userId = this.assertUser(ctx);
    const row = await this.require(ctx, userId, id);
    const turns = await turnsWithResults(ctx.db, row.id);
    return {
      ...toSummary(row),
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

  async rename(
    ctx: Ctx,
    id: string,
    input: z.input<typeof RenameComparisonInput>,
  ): Promise<ComparisonSummary> {
    const userId = this.assertUser(ctx);
    const { title } = parseInput(RenameComparisonInput, input, 'compare');
    if (!isUuid(id) || !(await renameComparison(ctx.db, userId, id, title))) {
      throw new AppError('not_found:compare', 'No such comparison');
    }
    return toSummary(await this.require(ctx, userId, id));
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
    const history: SimpleMessage[] = [{ role: 'user', content: data.prompt }];
    const system = data.systemPrompt || undefined;
    const admission = await this.admit(ctx, models, () => history, system);
    try {
      const comparison = await insertComparison(ctx.db, {
        userId,
        title: titleFromPrompt(data.prompt),
        modelIds: data.modelIds,
        modelNames: models.map((m) => m.displayName),
        systemPrompt: data.systemPrompt || null,
      });
      const turn = await appendTurn(ctx.db, comparison.id, data.prompt);
      return this.runAnswers(
        ctx,
        { comparison, turnId: turn.id, models, historyOf: () => history, admission },
        signal,
      );
    } catch (err) {
      await admission.release();
      throw err;
    }
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
    const earlier = await turnsWithResults(ctx.db, comparison.id);
    const historyOf = (column: number): SimpleMessage[] => [
      ...earlier.flatMap((t): SimpleMessage[] => {
        const answer = t.results.find((r) => r.kind === 'answer' && r.column === column);
        return [
          { role: 'user', content: t.prompt },
          { role: 'assistant', content: answer?.text || '(no answer)' },
        ];
      }),
      { role: 'user', content: prompt },
    ];
    const admission = await this.admit(ctx, models, historyOf, comparison.systemPrompt ?? undefined);
    try {
      const turn = await appendTurn(ctx.db, comparison.id, prompt);
      return this.runAnswers(ctx, { comparison, turnId: turn.id, models, historyOf, admission }, signal);
    } catch (err) {
      await admission.release();
      throw err;
    }
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
    const messages: SimpleMessage[] = [{ role: 'user', content: fusionPrompt(turn.prompt, answers) }];
    const system = comparison.systemPrompt ?? undefined;
    const admission = await this.admit(ctx, [model!], () => messages, system);
    const column: ColumnView = { column: FUSION_COLUMN, modelId: model!.id, modelName: model!.displayName };
    const body = compareStream(async (sink) => {
      try {
        sink.emit({
          type: 'start',
          comparisonId: comparison.id,
          turnId: turn.id,
          kind: 'fusion',
          columns: [column],
        });
        const [provider] = await this.buildModels(ctx, [model!]);
        await runColumn(this.deps.calls, ctx, {
          comparison,
          turnId: turn.id,
          model: model!,
          provider: provider!,
          column,
          messages,
          sink,
          admission,
        });
      } finally {
        await admission.release();
      }
    }, signal);
    return { comparisonId: comparison.id, turnId: turn.id, body };
  }

  /**
   * Marks answers left `streaming` by a process that stopped as failed, with their partial text and an
   * estimate billed. For the start-up sweep and the periodic job.
   */
  failInterrupted(ctx: Ctx, cutoff: Date): Promise<number> {
    return failStaleResults(ctx.db, cutoff, INTERRUPTED_RESULT);
  }

  /** One admission (rate, concurrent answers, budget for every column) for the whole run. */
  private admit(
    ctx: Ctx,
    models: ModelRow[],
    historyOf: (column: number) => SimpleMessage[],
    system: string | undefined,
  ): Promise<Admission> {
    return this.deps.calls.admit(
      ctx,
      'compare',
      models.map((row, i) => ({
        row,
        prompt: toPrompt(system, historyOf(i)),
        maxOutputTokens: row.maxOutputTokens ?? undefined,
      })),
    );
  }

  private runAnswers(
    ctx: Ctx,
    run: {
      comparison: ComparisonRow;
      turnId: string;
      models: ModelRow[];
      historyOf: (column: number) => SimpleMessage[];
      admission: Admission;
    },
    signal?: AbortSignal,
  ): CompareRun {
    const { comparison, turnId, models, admission } = run;
    const columns = models.map((m, i) => ({ column: i, modelId: m.id, modelName: m.displayName }));
    const body = compareStream(async (sink) => {
      try {
        sink.emit({ type: 'start', comparisonId: comparison.id, turnId, kind: 'answer', columns });
        // Credentials first, for every column, so the upstream calls leave together and compare fairly.
        const providers = await this.buildModels(ctx, models);
        await Promise.all(
          models.map((model, i) =>
            runColumn(this.deps.calls, ctx, {
              comparison,
              turnId,
              model,
              provider: providers[i]!,
              column: columns[i]!,
              messages: run.historyOf(i),
              sink,
              admission,
            }),
          ),
        );
      } finally {
        await admission.release();
      }
    }, signal);
    return { comparisonId: comparison.id, turnId, body };
  }

  private buildModels(ctx: Ctx, models: ModelRow[]): Promise<PromiseSettledResult<ProviderModel>[]> {
    return Promise.allSettled(models.map((m) => this.deps.models.languageModel(ctx, m)));
  }

  private async usableModels(ctx: Ctx, ids: string[]): Promise<ModelRow[]> {
    return Promise.all(ids.map((id) => this.deps.models.getUsable(ctx, id, 'compare')));
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
