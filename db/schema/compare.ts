/**
 * Model Compare: one comparison = a set of 2–4 models and a sequence of turns (the first prompt, then
 * optional follow-ups). Every model answers every turn (one result row each); a "fusion" result is one
 * chosen model merging a turn's answers into one. Results keep what the person saw — text, timing, tokens,
 * cost — and a snapshot of the model's display name, so a deleted model still reads well in history.
 * Costs are USD numeric(20,12), computed exactly by api/ai/usage.ts.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, numeric, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity';
import { aiModels } from './models';

export const COMPARE_RESULT_KINDS = ['answer', 'fusion'] as const;
export type CompareResultKind = (typeof COMPARE_RESULT_KINDS)[number];
export const COMPARE_RESULT_STATUSES = ['streaming', 'complete', 'failed', 'stopped'] as const;
export type CompareResultStatus = (typeof COMPARE_RESULT_STATUSES)[number];

export const comparisons = pgTable(
  'comparisons',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text().notNull(),
    /** The models in column order (ai_models ids). */
    modelIds: uuid().array().notNull(),
    /** Display names at creation, same order (history stays readable after a model is renamed or removed). */
    modelNames: text().array().notNull(),
    systemPrompt: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('comparisons_user_updated_idx').on(t.userId, t.updatedAt)],
);

export const comparisonTurns = pgTable(
  'comparison_turns',
  {
    id: uuid().primaryKey().defaultRandom(),
    comparisonId: uuid()
      .notNull()
      .references(() => comparisons.id, { onDelete: 'cascade' }),
    position: integer().notNull(),
    prompt: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('comparison_turns_position_uq').on(t.comparisonId, t.position)],
);

export const comparisonResults = pgTable(
  'comparison_results',
  {
    id: uuid().primaryKey().defaultRandom(),
    turnId: uuid()
      .notNull()
      .references(() => comparisonTurns.id, { onDelete: 'cascade' }),
    kind: text({ enum: COMPARE_RESULT_KINDS }).notNull().default('answer'),
    /** Column index for answers (0-based, the model's place in comparisons.model_ids); -1 for a fusion. */
    column: integer().notNull(),
    modelId: uuid().references(() => aiModels.id, { onDelete: 'set null' }),
    modelName: text().notNull(),
    text: text().notNull().default(''),
    status: text({ enum: COMPARE_RESULT_STATUSES }).notNull(),
    error: text(),
    /** Milliseconds from sending the request upstream to the first text. */
    ttftMs: integer(),
    durationMs: integer(),
    inputTokens: integer().notNull().default(0),
    outputTokens: integer().notNull().default(0),
    /** Output tokens per second of generation (after the first token); null when not measurable. */
    tokensPerSecond: numeric({ precision: 10, scale: 2 }),
    costUsd: numeric({ precision: 20, scale: 12 }).notNull().default('0'),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Moves while the answer streams (partial saves); a `streaming` row that stopped moving was orphaned. */
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('comparison_results_turn_idx').on(t.turnId),
    check('comparison_results_kind_ck', sql`${t.kind} in ('answer', 'fusion')`),
    check('comparison_results_status_ck', sql`${t.status} in ('streaming', 'complete', 'failed', 'stopped')`),
  ],
);
