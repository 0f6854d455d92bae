/**
 * The model registry: which provider models this installation offers, where, at what price.
 * Prices are USD per 1M tokens as numeric(12,6) — exact decimals, never floats (api/ai/usage.ts computes
 * costs from them in integer pico-dollars). Who may use a model is in resource_grants (type 'model').
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  integer,
  numeric,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';

import { PROVIDERS } from '../../api/ai/provider-ids';

export const MODEL_PROVIDERS = PROVIDERS;
/** Chat models answer; embedding models turn text into vectors (knowledge repositories). */
export const MODEL_KINDS = ['chat', 'embedding'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];
export const MODEL_SURFACES = ['chat', 'compare', 'assistants'] as const;
export type ModelSurface = (typeof MODEL_SURFACES)[number];
export const MODEL_CAPABILITIES = [
  'vision',
  'tools',
  'reasoning',
  'web_search',
  'file_input',
  'structured_output',
  'image_generation',
] as const;
export type ModelCapability = (typeof MODEL_CAPABILITIES)[number];

const price = () => numeric({ precision: 12, scale: 6 });

export const aiModels = pgTable(
  'ai_models',
  {
    id: uuid().primaryKey().defaultRandom(),
    provider: text({ enum: MODEL_PROVIDERS }).notNull(),
    /** The provider's id: OpenAI/Google/Bedrock model id, or the Azure deployment name. */
    modelId: text().notNull(),
    displayName: text().notNull(),
    kind: text({ enum: MODEL_KINDS }).notNull().default('chat'),
    /** Embedding models: the vector length they return. */
    dimensions: integer(),
    description: text().notNull().default(''),
    capabilities: text().array().$type<ModelCapability[]>().notNull().default(sql`'{}'::text[]`),
    contextWindow: integer(),
    maxOutputTokens: integer(),
    inputPricePerMillion: price(),
    outputPricePerMillion: price(),
    cachedInputPricePerMillion: price(),
    active: boolean().notNull().default(true),
    surfaces: text().array().$type<ModelSurface[]>().notNull().default(sql`'{chat,compare}'::text[]`),
    /** Only for openai-compatible: this model's server (e.g. one Ollama host); null = the provider setting. */
    baseUrl: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('ai_models_provider_model_uq').on(t.provider, t.modelId),
    check(
      'ai_models_provider_ck',
      sql`${t.provider} in ('openai', 'azure', 'google', 'amazon-bedrock', 'openai-compatible')`,
    ),
    check('ai_models_kind_ck', sql`${t.kind} in ('chat', 'embedding')`),
    check(
      'ai_models_embedding_dims_ck',
      sql`${t.kind} <> 'embedding' or ${t.dimensions} between 1 and 16000`,
    ),
    check(
      'ai_models_prices_ck',
      sql`coalesce(${t.inputPricePerMillion}, 0) >= 0 and coalesce(${t.outputPricePerMillion}, 0) >= 0 and coalesce(${t.cachedInputPricePerMillion}, 0) >= 0`,
    ),
  ],
);
