/**
 * The embedder of a repository: the built-in lexical one (no network) or a registry model of kind
 * `embedding` through the provider factory. Provider calls go in batches with retries and exponential
 * backoff; their tokens are billed to the person the embedding is for (usage ledger, surface `knowledge`).
 */
import { embedMany } from 'ai';
import { and, asc, eq } from 'drizzle-orm';
import type { Queryable } from '../../../db/client';
import { aiModels } from '../../../db/schema/index';
import { embedLexical, LEXICAL_DIMENSIONS, LEXICAL_EMBEDDER_ID } from '../../ai/embeddings/lexical';
import type { ProviderFactory } from '../../ai/providers';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import type { ModelRow } from '../models/models.repo';
import type { UsageService } from '../usage/usage.service';
import type { RepositoryRow } from './knowledge.repo';

export const EMBED_BATCH = 64;
const ATTEMPTS = 4;
const BACKOFF_MS = 250;

export interface Embedder {
  /** Registry model id; null for the lexical embedder. */
  modelId: string | null;
  name: string;
  dimensions: number;
  /** Vectors in input order; bills the provider's tokens to `billTo`. */
  embed(texts: string[], billTo: { userId: string | null; requestId: string | null }): Promise<number[][]>;
}

export const lexicalEmbedder: Embedder = {
  modelId: null,
  name: LEXICAL_EMBEDDER_ID,
  dimensions: LEXICAL_DIMENSIONS,
  embed: async (texts) => texts.map((t) => embedLexical(t)),
};

/** Retries `fn` with exponential backoff; a configuration error (4xx-like AppError) is not retried. */
export async function withRetries<T>(
  fn: () => Promise<T>,
  attempts = ATTEMPTS,
  baseMs = BACKOFF_MS,
): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await fn();
    } catch (err) {
      last = err;
      if (err instanceof AppError && err.status < 500) throw err;
      if (i < attempts - 1) await new Promise((r) => setTimeout(r, baseMs * 4 ** i));
    }
  }
  throw last;
}

export function findEmbeddingModel(db: Queryable, id: string): Promise<ModelRow | undefined> {
  return db.query.aiModels.findFirst({ where: eq(aiModels.id, id) });
}

/** The model a repository may embed with (null = lexical) and its dimensions; 422 naming the field if not. */
export async function embeddingTarget(
  db: Queryable,
  modelId: string | null | undefined,
): Promise<{ modelId: string | null; dimensions: number }> {
  if (!modelId) return { modelId: null, dimensions: lexicalEmbedder.dimensions };
  const model = await findEmbeddingModel(db, modelId);
  if (model?.kind !== 'embedding' || !model.active || !model.dimensions)
    throw new AppError('validation:knowledge', 'embeddingModelId is not an active embedding model', {
      details: { fields: { embeddingModelId: 'not an active embedding model' } },
    });
  return { modelId, dimensions: model.dimensions };
}

/** Active registry models of kind embedding (what a new repository may use). */
export function listEmbeddingModels(db: Queryable): Promise<ModelRow[]> {
  return db
    .select()
    .from(aiModels)
    .where(and(eq(aiModels.kind, 'embedding'), eq(aiModels.active, true)))
    .orderBy(asc(aiModels.displayName));
}

export function providerEmbedder(
  deps: { providers: ProviderFactory; usage: UsageService; ctx: Ctx },
  model: ModelRow,
): Embedder {
  const dimensions = model.dimensions ?? 0;
  return {
    modelId: model.id,
    name: model.displayName,
    dimensions,
    async embed(texts, billTo) {
      const sdkModel = await deps.providers.embeddingModel(deps.ctx, {
        provider: model.provider,
        modelId: model.modelId,
        baseUrl: model.baseUrl,
      });
      const result = await withRetries(() => embedMany({ model: sdkModel, values: texts, maxRetries: 0 }));
      const wrong = result.embeddings.find((e) => e.length !== dimensions);
      if (wrong)
        throw new AppError(
          'validation:knowledge',
          `${model.displayName} returned vectors of ${wrong.length} dimensions; the repository expects ${dimensions}`,
        );
      await deps.usage.record(deps.ctx.db, {
        userId: billTo.userId,
        model,
        surface: 'knowledge',
        tokens: {
          inputTokens: result.usage?.tokens ?? 0,
          outputTokens: 0,
          cachedInputTokens: 0,
          reasoningTokens: 0,
        },
        requestId: billTo.requestId,
      });
      return result.embeddings;
    },
  };
}

/** The embedder of each repository: lexical, or its registry model (which must still be an embedding model). */
export function knowledgeEmbedders(deps: { providers: ProviderFactory; usage: UsageService }) {
  return async (ctx: Ctx, repo: RepositoryRow): Promise<Embedder> => {
    if (!repo.embeddingModelId) return lexicalEmbedder;
    const model = await findEmbeddingModel(ctx.db, repo.embeddingModelId);
    if (model?.kind !== 'embedding' || !model.active)
      throw new AppError(
        'not_configured:knowledge',
        'The embedding model of this repository is not available',
      );
    return providerEmbedder({ ...deps, ctx }, model);
  };
}
