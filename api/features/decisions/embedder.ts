/**
 * The one place the decision log turns text into a vector. When the setting `decisions.embedding_model`
 * names an active embedding model of the registry, the knowledge feature's provider path embeds (provider
 * factory, retries, tokens billed to the person in the usage ledger) and finds paraphrases; otherwise — and
 * when that model is unavailable or its provider fails — the built-in lexical embedder (384 dims, offline,
 * shared words and word fragments, not paraphrases). Nodes keep the model they were embedded with, and
 * search only compares vectors of the same model, so a switch degrades to "text search only" for older
 * nodes until they are re-embedded, never to wrong matches.
 */

import { embedLexical, LEXICAL_DIMENSIONS, LEXICAL_EMBEDDER_ID } from '../../ai/embeddings/lexical';
import type { ProviderFactory } from '../../ai/providers';
import type { Ctx } from '../../lib/ctx';
import { isUuid } from '../../lib/ids';
import { findEmbeddingModel, providerEmbedder } from '../knowledge/knowledge.embed';
import type { SettingsService } from '../settings/settings.service';
import type { UsageService } from '../usage/usage.service';
import type { EmbeddingValue } from './graph.repo';

export interface DecisionEmbedding extends EmbeddingValue {
  /**
   * Cosine similarity below which a node is not a semantic match. Measured for the lexical embedder: texts
   * sharing a content word score ≥ 0.2, unrelated short texts ≤ 0.12 (tests/decisions: search).
   */
  minSimilarity: number;
}

export type DecisionEmbedder = (ctx: Ctx, text: string) => Promise<DecisionEmbedding>;

export const LEXICAL_MIN_SIMILARITY = 0.15;
/**
 * For provider models: related texts score well above (≥ 0.5 for paraphrases in tests/decisions with the
 * fake upstream; typically 0.4–0.9 for real models), unrelated ones near 0–0.25.
 */
export const PROVIDER_MIN_SIMILARITY = 0.3;
export const EMBEDDING_MODEL_SETTING = 'decisions.embedding_model';

export const embedForDecisions: DecisionEmbedder = async (_ctx, text) => ({
  vector: embedLexical(text, LEXICAL_DIMENSIONS),
  dims: LEXICAL_DIMENSIONS,
  model: LEXICAL_EMBEDDER_ID,
  minSimilarity: LEXICAL_MIN_SIMILARITY,
});

/** The configured embedding model when there is one (and it can be used), else the lexical embedder. */
export function decisionEmbedder(deps: {
  providers: ProviderFactory;
  usage: UsageService;
  settings: Pick<SettingsService, 'get'>;
}): DecisionEmbedder {
  return async (ctx, text) => {
    const id = (await deps.settings.get(ctx, EMBEDDING_MODEL_SETTING))?.trim();
    if (!id) return embedForDecisions(ctx, text);
    const model = isUuid(id) ? await findEmbeddingModel(ctx.db, id) : undefined;
    if (model?.kind !== 'embedding' || !model.active || !model.dimensions) {
      ctx.log.warn({ modelId: id }, 'decisions: the configured embedding model is not available; lexical');
      return embedForDecisions(ctx, text);
    }
    try {
      const [vector] = await providerEmbedder({ ...deps, ctx }, model).embed([text], {
        userId: ctx.actor.id,
        requestId: ctx.requestId,
      });
      return {
        vector: vector!,
        dims: model.dimensions,
        model: model.id,
        minSimilarity: PROVIDER_MIN_SIMILARITY,
      };
    } catch (err) {
      ctx.log.warn({ err, modelId: id }, 'decisions: embedding through the provider failed; lexical');
      return embedForDecisions(ctx, text);
    }
  };
}

/** The text a node is embedded from. */
export const embeddingText = (node: { title: string; body?: string | null; class?: string | null }) =>
  [node.title, node.class, node.body].filter(Boolean).join('\n');
