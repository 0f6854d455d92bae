/** One compare column's answer: its model call through the core, its result row and its events. */
import type { ProviderModel } from '../../ai/providers';
import type { Admission, ModelCalls, SimpleMessage } from '../../ai/run';
import { toPrompt } from '../../ai/run';
import { formatPicoUsd } from '../../ai/usage';
import type { Ctx } from '../../lib/ctx';
import type { ModelRow } from '../models/models.repo';
import { insertUsage } from '../usage/usage.repo';
import {
  type ComparisonRow,
  insertResult,
  type ResultRow,
  saveResultPartial,
  updateResult,
} from './compare.repo';
import type { ColumnView } from './compare.schemas';
import { type CompareSink, tokensPerSecond } from './compare.stream';
import { toResultView } from './compare.views';

/** The column of a fusion answer. */
export const FUSION_COLUMN = -1;

/**
 * Streams one column. Its row is written as `streaming` while the upstream works on the
 * first token, kept up to date every few seconds, and completed with its usage in one transaction when
 * the column ends (a failure here never breaks the others).
 */
export async function runColumn(
  calls: ModelCalls,
  ctx: Ctx,
  run: {
    comparison: ComparisonRow;
    turnId: string;
    model: ModelRow;
    provider: PromiseSettledResult<ProviderModel>;
    column: ColumnView;
    messages: SimpleMessage[];
    sink: CompareSink;
    admission: Admission;
  },
): Promise<void> {
  const { model, column, sink } = run;
  const base = {
    turnId: run.turnId,
    kind: column.column === FUSION_COLUMN ? ('fusion' as const) : ('answer' as const),
    column: column.column,
    modelId: model.id,
    modelName: model.displayName,
  };
  const saveFailed = (err: unknown) => {
    ctx.log.error({ err, comparisonId: run.comparison.id }, 'compare: saving a result failed');
    sink.emit({ type: 'error', message: `Saving the answer of ${model.displayName} failed` });
  };
  if (run.provider.status === 'rejected') {
    // Building the model failed (e.g. the provider is not configured): a failed column, not a failed run.
    try {
      const row = await insertResult(ctx.db, {
        ...base,
        status: 'failed',
        error: (run.provider.reason as Error).message,
        durationMs: 0,
        costUsd: formatPicoUsd(0n),
      });
      sink.emit({ type: 'result', column: column.column, result: toResultView(row) });
    } catch (err) {
      saveFailed(err);
    }
    return;
  }
  let firstText = true;
  let rowWrite!: Promise<ResultRow>; // set right after the call leaves (its events come later)
  const modelRun = await calls.start(ctx, {
    surface: 'compare',
    model: { row: model, provider: run.provider.value },
    prompt: toPrompt(run.comparison.systemPrompt ?? undefined, run.messages),
    settings: { maxOutputTokens: model.maxOutputTokens ?? undefined },
    // A compare column is a measurement: a silent retry would hide the failure and skew the timing.
    retryOnce: false,
    signal: sink.signal,
    subjectId: run.comparison.id,
    admission: run.admission,
    onEvent: (e) => {
      if (e.type === 'first-token') {
        sink.emit({ type: 'first-token', column: column.column, ttftMs: e.ttftMs });
      } else if (e.type === 'text') {
        sink.emit({ type: 'text', column: column.column, delta: e.delta }, firstText);
        firstText = false;
      }
    },
    onCheckpoint: async ({ text }) => saveResultPartial(ctx.db, (await rowWrite).id, text),
    persist: async (r, ledger) => {
      try {
        const { id } = await rowWrite;
        // The result and its ledger row are written together, once, when the column ends.
        const row = await ctx.db.transaction(async (tx) => {
          if (ledger) await insertUsage(tx, ledger);
          return updateResult(tx, id, {
            text: r.text,
            status: r.status,
            error: r.error?.message ?? null,
            ttftMs: r.ttftMs,
            durationMs: r.latencyMs,
            inputTokens: r.billed.tokens.inputTokens,
            outputTokens: r.billed.tokens.outputTokens,
            tokensPerSecond: tokensPerSecond(r)?.toFixed(2) ?? null,
            costUsd: r.costUsd,
          });
        });
        sink.emit({ type: 'result', column: column.column, result: toResultView(row) });
      } catch (err) {
        saveFailed(err);
      }
    },
  });
  rowWrite = insertResult(ctx.db, { ...base, status: 'streaming', costUsd: formatPicoUsd(0n) });
  rowWrite.catch(() => modelRun.fail(`Saving the answer of ${model.displayName} failed`));
  await modelRun.done;
}
