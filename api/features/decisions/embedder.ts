/**
 * The one place the decision log turns text into a vector. Today: the built-in lexical embedder (384 dims,
 * offline, finds shared words and word fragments, not paraphrases). When a provider embedding model is
 * configured (the knowledge feature's embedder service), switch here: nodes keep the model id they were
 * embedded with, and search only compares vectors of the same model, so a switch degrades to "text search
 * only" for older nodes until they are re-embedded, never to wrong matches.
 */
import { embedLexical, LEXICAL_DIMENSIONS, LEXICAL_EMBEDDER_ID } from '../../ai/embeddings/lexical';
import type { Ctx } from '../../lib/ctx';
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

export const embedForDecisions: DecisionEmbedder = async (_ctx, text) => ({
  vector: embedLexical(text, LEXICAL_DIMENSIONS),
  dims: LEXICAL_DIMENSIONS,
  model: LEXICAL_EMBEDDER_ID,
  minSimilarity: LEXICAL_MIN_SIMILARITY,
});

/** The text a node is embedded from. */
export const embeddingText = (node: { title: string; body?: string | null; class?: string | null }) =>
  [node.title, node.class, node.body].filter(Boolean).join('\n');
