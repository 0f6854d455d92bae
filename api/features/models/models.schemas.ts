/** Inputs and views of the model registry, shared by the service (validation) and the routes (OpenAPI). */
import { z } from '@hono/zod-openapi';
import { MODEL_CAPABILITIES, MODEL_KINDS, MODEL_PROVIDERS, MODEL_SURFACES } from '../../../db/schema/models';
import { PRICE_PATTERN } from '../../ai/usage';

export const Provider = z.enum(MODEL_PROVIDERS);
export const Surface = z.enum(MODEL_SURFACES);
export const Capability = z.enum(MODEL_CAPABILITIES);

/** USD per 1M tokens. Numbers are accepted and turned into their decimal text; at most 6 decimals. */
const Price = z
  .union([z.string().trim(), z.number().nonnegative()])
  .transform((v) => (typeof v === 'number' ? v.toString() : v))
  .refine((v) => PRICE_PATTERN.test(v), 'must be a USD amount per 1M tokens with at most 6 decimals')
  .openapi({ type: 'string', example: '2.5', description: 'USD per 1M tokens (decimal, ≤ 6 decimals)' });

const Tokens = z.number().int().positive().max(100_000_000);
const BaseUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2000)
  .transform((u) => u.replace(/\/+$/, ''));

const fields = {
  displayName: z.string().trim().min(1, 'is required').max(120),
  description: z.string().trim().max(2000),
  capabilities: z.array(Capability).max(MODEL_CAPABILITIES.length),
  contextWindow: Tokens.nullable(),
  maxOutputTokens: Tokens.nullable(),
  inputPricePerMillion: Price.nullable(),
  outputPricePerMillion: Price.nullable(),
  cachedInputPricePerMillion: Price.nullable(),
  active: z.boolean(),
  surfaces: z.array(Surface).max(MODEL_SURFACES.length),
  baseUrl: BaseUrl.nullable(),
};

const baseUrlOnlyForCompatible = (
  v: { provider?: string; baseUrl?: string | null },
  ctx: z.RefinementCtx,
) => {
  if (v.baseUrl && v.provider && v.provider !== 'openai-compatible') {
    ctx.addIssue({
      code: 'custom',
      path: ['baseUrl'],
      message: 'only openai-compatible models have their own URL',
    });
  }
};

/** Embedding models need their vector length; they serve knowledge repositories, not chat surfaces. */
const embeddingNeedsDimensions = (
  v: { kind?: string; dimensions?: number | null; surfaces?: string[] },
  ctx: z.RefinementCtx,
) => {
  if (v.kind === 'embedding' && !v.dimensions)
    ctx.addIssue({ code: 'custom', path: ['dimensions'], message: 'is required for an embedding model' });
  if (v.kind !== 'embedding' && v.dimensions)
    ctx.addIssue({ code: 'custom', path: ['dimensions'], message: 'only embedding models have dimensions' });
};

export const CreateModelInput = z
  .object({
    provider: Provider,
    modelId: z.string().trim().min(1, 'is required').max(200),
    kind: z.enum(MODEL_KINDS).default('chat').openapi({ description: 'chat, or embedding (knowledge)' }),
    dimensions: z.number().int().min(1).max(16000).nullable().default(null).openapi({
      description: 'Embedding models: the vector length the model returns',
    }),
    displayName: fields.displayName.optional(),
    description: fields.description.default(''),
    capabilities: fields.capabilities.default([]),
    contextWindow: fields.contextWindow.default(null),
    maxOutputTokens: fields.maxOutputTokens.default(null),
    inputPricePerMillion: fields.inputPricePerMillion.default(null),
    outputPricePerMillion: fields.outputPricePerMillion.default(null),
    cachedInputPricePerMillion: fields.cachedInputPricePerMillion.default(null),
    active: fields.active.default(true),
    surfaces: fields.surfaces.default(['chat', 'compare']),
    baseUrl: fields.baseUrl.default(null),
  })
  .superRefine(baseUrlOnlyForCompatible)
  .superRefine(embeddingNeedsDimensions)
  .transform((v) => (v.kind === 'embedding' ? { ...v, surfaces: [] } : v))
  .openapi('CreateModelInput');

export const UpdateModelInput = z
  .object({
    displayName: fields.displayName,
    description: fields.description,
    capabilities: fields.capabilities,
    contextWindow: fields.contextWindow,
    maxOutputTokens: fields.maxOutputTokens,
    inputPricePerMillion: fields.inputPricePerMillion,
    outputPricePerMillion: fields.outputPricePerMillion,
    cachedInputPricePerMillion: fields.cachedInputPricePerMillion,
    active: fields.active,
    surfaces: fields.surfaces,
    baseUrl: fields.baseUrl,
  })
  .partial()
  .strict()
  .openapi('UpdateModelInput');

// A base URL is accepted for openai-compatible only: for the other providers it would send the provider-wide
// key (which admin:settings guards) to a URL chosen by an admin:models holder.
export const ModelRefInput = z
  .object({ provider: Provider, modelId: z.string().trim().min(1).max(200), baseUrl: BaseUrl.nullish() })
  .superRefine(baseUrlOnlyForCompatible)
  .openapi('ModelRef');

export const DiscoverInput = z
  .object({ provider: Provider, baseUrl: BaseUrl.nullish() })
  .superRefine(baseUrlOnlyForCompatible);

export const GrantsInput = z
  .object({
    roles: z.array(z.string().trim().min(1)).max(100).default([]),
    userIds: z.array(z.uuid()).max(1000).default([]),
  })
  .openapi('ModelGrantsInput');

/** What every signed-in user may see of a model they can use. */
export const UsableModel = z
  .object({
    id: z.string(),
    provider: Provider,
    modelId: z.string(),
    kind: z.enum(MODEL_KINDS),
    dimensions: z.number().int().nullable(),
    displayName: z.string(),
    description: z.string(),
    capabilities: z.array(z.string()),
    contextWindow: z.number().nullable(),
    maxOutputTokens: z.number().nullable(),
    inputPricePerMillion: z.string().nullable(),
    outputPricePerMillion: z.string().nullable(),
    cachedInputPricePerMillion: z.string().nullable(),
    surfaces: z.array(Surface),
  })
  .openapi('UsableModel');

/** The admin view: everything, with who may use it. */
export const AdminModel = UsableModel.extend({
  active: z.boolean(),
  baseUrl: z.string().nullable(),
  grants: z.object({ roles: z.array(z.string()), userIds: z.array(z.string()) }),
  createdAt: z.string(),
  updatedAt: z.string(),
}).openapi('AdminModel');

export const DiscoveredModelView = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().optional(),
    contextWindow: z.number().optional(),
    maxOutputTokens: z.number().optional(),
    /** Already in the registry (same provider and model id). */
    added: z.boolean(),
  })
  .openapi('DiscoveredModel');

export const ModelTestResultView = z
  .object({
    ok: z.boolean(),
    latencyMs: z.number(),
    text: z.string().optional(),
    finishReason: z.string().optional(),
    usage: z.object({ inputTokens: z.number().nullable(), outputTokens: z.number().nullable() }).optional(),
    error: z.object({ message: z.string(), status: z.number().optional() }).optional(),
  })
  .openapi('ModelTestResult');

export const ProviderStatusView = z
  .object({
    provider: Provider,
    label: z.string(),
    configured: z.boolean(),
    /** Setting keys still needed (admin → settings), empty when configured. */
    missing: z.array(z.string()),
  })
  .openapi('ProviderStatus');

export type UsableModelView = z.infer<typeof UsableModel>;
export type AdminModelView = z.infer<typeof AdminModel>;
