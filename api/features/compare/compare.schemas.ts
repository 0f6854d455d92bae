/** Inputs, views and stream events of Model Compare, shared by the service, the routes and the UI (types). */
import { z } from '@hono/zod-openapi';

const ModelIdRef = z.uuid({ error: 'must be a model id' });
const Prompt = z.string().trim().min(1, 'is required').max(32_000, 'is longer than 32,000 characters');

export const StartComparisonInput = z
  .object({
    prompt: Prompt,
    modelIds: z
      .array(ModelIdRef)
      .min(2, 'pick at least 2 models')
      .max(4, 'pick at most 4 models')
      .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a model'),
    systemPrompt: z.string().trim().max(8_000).optional(),
  })
  .openapi('StartComparisonInput');

export const FollowUpInput = z.object({ prompt: Prompt }).openapi('CompareFollowUpInput');

export const RenameComparisonInput = z
  .object({
    title: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(200, 'must be at most 200 characters')
      .openapi({ description: 'The new title' }),
  })
  .openapi('CompareRenameInput');

export const FuseInput = z
  .object({
    modelId: ModelIdRef.openapi({ description: 'The model that merges the answers' }),
    turnId: z.uuid().optional().openapi({ description: 'Which turn to fuse; default the latest' }),
  })
  .openapi('CompareFuseInput');

export const ListComparisonsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export const ResultView = z
  .object({
    id: z.string(),
    kind: z.enum(['answer', 'fusion']),
    column: z.number().int(),
    modelId: z.string().nullable(),
    modelName: z.string(),
    text: z.string(),
    status: z.enum(['complete', 'failed', 'stopped']),
    error: z.string().nullable(),
    ttftMs: z.number().int().nullable(),
    durationMs: z.number().int().nullable(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    tokensPerSecond: z.number().nullable(),
    costUsd: z.string().openapi({ description: 'USD, 12 decimals, exact' }),
  })
  .openapi('CompareResult');
export type ResultView = z.infer<typeof ResultView>;

export const TurnView = z
  .object({
    id: z.string(),
    position: z.number().int(),
    prompt: z.string(),
    createdAt: z.string(),
    results: z.array(ResultView),
  })
  .openapi('CompareTurn');
export type TurnView = z.infer<typeof TurnView>;

export const ColumnView = z.object({ column: z.number().int(), modelId: z.string(), modelName: z.string() });
export type ColumnView = z.infer<typeof ColumnView>;

export const ComparisonSummary = z
  .object({
    id: z.string(),
    title: z.string(),
    models: z.array(ColumnView),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ComparisonSummary');
export type ComparisonSummary = z.infer<typeof ComparisonSummary>;

export const ComparisonView = ComparisonSummary.extend({
  systemPrompt: z.string().nullable(),
  turns: z.array(TurnView),
}).openapi('Comparison');
export type ComparisonView = z.infer<typeof ComparisonView>;

/**
 * One SSE stream carries every column of a run (`data: <json>` per event). The browser keeps a column's
 * text by appending `text` deltas; `result` closes a column with its numbers; `done` ends the run.
 */
export type CompareEvent =
  | { type: 'start'; comparisonId: string; turnId: string; kind: 'answer' | 'fusion'; columns: ColumnView[] }
  | { type: 'text'; column: number; delta: string }
  | { type: 'first-token'; column: number; ttftMs: number }
  | { type: 'result'; column: number; result: ResultView }
  | { type: 'error'; message: string }
  | { type: 'done' };
