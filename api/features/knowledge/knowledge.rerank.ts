/**
 * The optional rerank pass of hybrid search (knowledge.search.ts) through Cohere's `POST /v2/rerank`, on when
 * the setting `knowledge.rerank_model` names a model and `cohere.api_key` is set (read per search through the
 * settings cache, so a change applies without a restart). A failure (network, timeout, non-2xx, an answer not
 * in Cohere's shape) never fails the search: it answers in the fused order and logs a warning without the key.
 */
import { z } from 'zod';
import type { Ctx } from '../../lib/ctx';
import type { SettingsService } from '../settings/settings.service';
import type { Reranker } from './knowledge.search';

export const COHERE_BASE_URL = 'https://api.cohere.com';
/** Candidates sent per search, and characters of each (Cohere truncates long documents itself, too). */
const MAX_DOCUMENTS = 100;
const MAX_DOCUMENT_CHARS = 4_000;
const TIMEOUT_MS = 10_000;

const RerankAnswer = z.object({
  results: z.array(z.object({ index: z.number().int().nonnegative(), relevance_score: z.number() })),
});

export interface CohereRerankDeps {
  settings: SettingsService;
  /** The upstream transport the provider calls use (api/ai/http-fetch.ts). */
  fetch: typeof globalThis.fetch;
  timeoutMs?: number;
}

interface CohereTarget {
  model: string;
  apiKey: string;
  baseUrl: string;
}

/** The Cohere reranker as configured now, or none (no model named, or no key). */
export function cohereRerankerFor(deps: CohereRerankDeps) {
  return async (ctx: Ctx): Promise<Reranker | undefined> => {
    const model = (await deps.settings.get(ctx, 'knowledge.rerank_model'))?.trim();
    if (!model) return undefined;
    const apiKey = (await deps.settings.get(ctx, 'cohere.api_key'))?.trim();
    if (!apiKey) {
      ctx.log.warn({ model }, 'knowledge.rerank_model is set but cohere.api_key is not; not reranking');
      return undefined;
    }
    const baseUrl = (await deps.settings.get(ctx, 'cohere.base_url'))?.trim() || COHERE_BASE_URL;
    const target = { model, apiKey, baseUrl };
    return { rerank: (query, candidates) => rerank(deps, ctx, target, query, candidates) };
  };
}

/** Candidate ids in Cohere's order; [] (the fused order stands) on any failure. */
async function rerank(
  deps: CohereRerankDeps,
  ctx: Ctx,
  target: CohereTarget,
  query: string,
  candidates: { id: string; text: string }[],
): Promise<string[]> {
  const sent = candidates.slice(0, MAX_DOCUMENTS);
  if (sent.length < 2) return sent.map((c) => c.id);
  const url = `${target.baseUrl.replace(/\/+$/, '')}/v2/rerank`;
  const warn = (reason: string, err?: unknown) =>
    ctx.log.warn(
      { err, reason, model: target.model, host: hostOf(url) },
      'knowledge rerank failed; answering in the fused order',
    );
  try {
    const res = await deps.fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${target.apiKey}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({
        model: target.model,
        query,
        documents: sent.map((c) => c.text.slice(0, MAX_DOCUMENT_CHARS)),
        top_n: sent.length,
      }),
      signal: AbortSignal.timeout(deps.timeoutMs ?? TIMEOUT_MS),
    });
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      warn(`status ${res.status}`);
      return [];
    }
    const parsed = RerankAnswer.safeParse(await res.json());
    if (!parsed.success) {
      warn('answer not in the rerank shape');
      return [];
    }
    return parsed.data.results.flatMap((r) => (sent[r.index] ? [sent[r.index]!.id] : []));
  } catch (err) {
    warn(
      err instanceof Error && /^(Abort|Timeout)Error$/.test(err.name) ? 'timed out' : 'request failed',
      err,
    );
    return [];
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid url';
  }
}
