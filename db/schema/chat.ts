/**
 * Chat ("Nexus" in the original): conversations, their message tree, and the usage ledger + budgets that
 * every AI surface (chat, compare, API, assistants) writes to.
 *
 * Messages form a tree through parent_id: editing a user message adds a sibling under the same parent,
 * regenerating adds a sibling assistant message; conversations.current_leaf_id names the branch on screen.
 * Full-text search uses generated tsvector columns ('simple' configuration: no stemming, so it works for
 * any language a district writes in) with GIN indexes.
 * Costs are USD numeric(20,12), computed exactly from the model's prices at the time of the call
 * (api/ai/usage.ts) and never recomputed.
 */
import { type SQL, sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { tsvector } from './columns';
import { roles, users } from './identity';
import { aiModels } from './models';

const usd = () => numeric({ precision: 20, scale: 12 });
const tokens = () => integer().notNull().default(0);

export const MESSAGE_ROLES = ['user', 'assistant', 'system'] as const;
export type MessageRole = (typeof MESSAGE_ROLES)[number];
export const MESSAGE_STATUSES = ['complete', 'streaming', 'failed', 'stopped'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
export const USAGE_SURFACES = ['chat', 'compare', 'api', 'assistants', 'knowledge'] as const;
export type UsageSurface = (typeof USAGE_SURFACES)[number];
export const BUDGET_SCOPES = ['role', 'user'] as const;
export type BudgetScope = (typeof BUDGET_SCOPES)[number];

/** One AI SDK UI message part (text, reasoning, file, tool …) as stored; the UI renders them as is. */
export type StoredPart = { type: string } & Record<string, unknown>;

export const conversations = pgTable(
  'conversations',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text().notNull().default(''),
    /** The model new turns use (ai_models.id); null once that model was deleted. */
    modelId: uuid().references(() => aiModels.id, { onDelete: 'set null' }),
    systemPrompt: text(),
    /**
     * Knowledge repositories attached to the conversation: each turn retrieves from those the person may
     * still read (access is checked again in the search query). No FK on array elements: a deleted
     * repository simply stops matching.
     */
    knowledgeRepositoryIds: uuid().array().notNull().default(sql`'{}'::uuid[]`),
    pinned: boolean().notNull().default(false),
    archived: boolean().notNull().default(false),
    forkedFrom: uuid().references((): AnyPgColumn => conversations.id, { onDelete: 'set null' }),
    /** The last message of the branch on screen. */
    currentLeafId: uuid().references((): AnyPgColumn => messages.id, { onDelete: 'set null' }),
    messageCount: integer().notNull().default(0),
    totalTokens: bigint({ mode: 'number' }).notNull().default(0),
    totalCostUsd: usd().notNull().default('0'),
    lastMessageAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    search: tsvector().generatedAlwaysAs((): SQL => sql`to_tsvector('simple', coalesce("title", ''))`),
  },
  (t) => [
    index('conversations_user_recent_idx').on(t.userId, t.lastMessageAt),
    index('conversations_search_idx').using('gin', t.search),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    conversationId: uuid()
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** Null for the first message; a message's siblings are the alternatives (edits, regenerations). */
    parentId: uuid().references((): AnyPgColumn => messages.id, { onDelete: 'cascade' }),
    role: text({ enum: MESSAGE_ROLES }).notNull(),
    parts: jsonb().$type<StoredPart[]>().notNull().default([]),
    /** The text of the parts, for search (kept in sync by the repo, not parsed from jsonb in SQL). */
    contentText: text().notNull().default(''),
    modelId: uuid().references(() => aiModels.id, { onDelete: 'set null' }),
    status: text({ enum: MESSAGE_STATUSES }).notNull().default('complete'),
    finishReason: text(),
    error: text(),
    inputTokens: tokens(),
    outputTokens: tokens(),
    cachedInputTokens: tokens(),
    reasoningTokens: tokens(),
    costUsd: usd(),
    /** The provider sent no usage (answer stopped or cut first): the tokens are our estimate. */
    usageEstimated: boolean().notNull().default(false),
    latencyMs: integer(),
    ttftMs: integer(),
    requestId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    search: tsvector().generatedAlwaysAs((): SQL => sql`to_tsvector('simple', "content_text")`),
  },
  (t) => [
    index('messages_conversation_idx').on(t.conversationId, t.createdAt),
    index('messages_parent_idx').on(t.parentId),
    index('messages_search_idx').using('gin', t.search),
    check('messages_role_ck', sql`${t.role} in ('user', 'assistant', 'system')`),
    check('messages_status_ck', sql`${t.status} in ('complete', 'streaming', 'failed', 'stopped')`),
  ],
);

/**
 * The usage ledger: one row per model call on any surface, with the tokens the provider reported and the
 * cost at the prices of that moment (the prices are copied so the row explains itself later).
 */
export const tokenUsage = pgTable(
  'token_usage',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid().references(() => users.id, { onDelete: 'set null' }),
    /** Restrict: a model with usage is deactivated, not deleted, so the ledger keeps its model. */
    modelId: uuid()
      .notNull()
      .references(() => aiModels.id, { onDelete: 'restrict' }),
    surface: text({ enum: USAGE_SURFACES }).notNull(),
    inputTokens: tokens(),
    outputTokens: tokens(),
    cachedInputTokens: tokens(),
    reasoningTokens: tokens(),
    costUsd: usd().notNull(),
    inputPricePerMillion: numeric({ precision: 12, scale: 6 }),
    outputPricePerMillion: numeric({ precision: 12, scale: 6 }),
    cachedInputPricePerMillion: numeric({ precision: 12, scale: 6 }),
    /** True when the provider reported no usage and the tokens were estimated from the text. */
    estimated: boolean().notNull().default(false),
    requestId: text(),
    /** What the call belonged to (a conversation, comparison, …), for drill-down; no FK across surfaces. */
    subjectId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('token_usage_user_created_idx').on(t.userId, t.createdAt),
    index('token_usage_model_created_idx').on(t.modelId, t.createdAt),
    check(
      'token_usage_surface_ck',
      sql`${t.surface} in ('chat', 'compare', 'api', 'assistants', 'knowledge')`,
    ),
  ],
);

/**
 * Monthly limits. A user row overrides the user's roles; between roles the most generous applies. A null
 * limit means "no limit in that unit". Months are calendar months in UTC.
 */
export const budgets = pgTable(
  'budgets',
  {
    id: uuid().primaryKey().defaultRandom(),
    scope: text({ enum: BUDGET_SCOPES }).notNull(),
    roleId: uuid().references(() => roles.id, { onDelete: 'cascade' }),
    userId: uuid().references(() => users.id, { onDelete: 'cascade' }),
    period: text({ enum: ['month'] })
      .notNull()
      .default('month'),
    limitTokens: bigint({ mode: 'number' }),
    limitCostUsd: numeric({ precision: 14, scale: 6 }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('budgets_role_uq').on(t.roleId).where(sql`${t.roleId} is not null`),
    uniqueIndex('budgets_user_uq').on(t.userId).where(sql`${t.userId} is not null`),
    check(
      'budgets_scope_ck',
      sql`(${t.scope} = 'role' and ${t.roleId} is not null and ${t.userId} is null) or (${t.scope} = 'user' and ${t.userId} is not null and ${t.roleId} is null)`,
    ),
    check('budgets_period_ck', sql`${t.period} = 'month'`),
    check(
      'budgets_limits_ck',
      sql`coalesce(${t.limitTokens}, 0) >= 0 and coalesce(${t.limitCostUsd}, 0) >= 0`,
    ),
  ],
);

/**
 * Each person's ledger summed per calendar month (UTC), kept by a trigger on every ledger insert (migration
 * 0024): a budget check reads one row instead of summing the month's ledger, which grew with every call
 * (ADR 027). Only inserts add: the ledger is append-only (a deleted person's rows lose their user_id, and
 * their totals go with them).
 */
export const usageMonthTotals = pgTable(
  'usage_month_totals',
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The month's first day. */
    month: date({ mode: 'string' }).notNull(),
    tokens: bigint({ mode: 'number' }).notNull().default(0),
    costUsd: usd().notNull().default('0'),
  },
  (t) => [primaryKey({ columns: [t.userId, t.month] })],
);

/**
 * Budget held by calls in flight (issue 9.4): each call reserves an estimate before it starts, under a
 * per-person advisory lock, and deletes it once its usage is in the ledger. Budget checks count the month's
 * total (usage_month_totals) + live reservations; a reservation left by a crashed process stops counting at `expiresAt`.
 */
export const budgetReservations = pgTable(
  'budget_reservations',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokens: bigint({ mode: 'number' }).notNull(),
    costUsd: usd().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('budget_reservations_user_idx').on(t.userId, t.expiresAt)],
);
