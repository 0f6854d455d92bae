/**
 * The optional rerank pass of hybrid search (knowledge.search.ts), on when the setting
 * `knowledge.rerank_model` names a model. `knowledge.rerank_provider` says where it runs:
 * - `cohere` (the default): Cohere's `POST /v2/rerank` with `cohere.api_key` (`cohere.base_url`);
 * - `amazon-bedrock`: Bedrock runtime InvokeModel (`POST /model/{id}/invoke`) with the Bedrock provider's
 *   region and credentials (`bedrock.base_url` overrides the endpoint), signed by api/ai/bedrock-fetch.ts.
 *   Cohere models on Bedrock (`cohere.rerank-v3-5:0`) take `api_version: 2`; Amazon's (`amazon.rerank-v1:0`)
 *   take only `query`, `documents`, `top_n`. Both answer `{ results: [{ index, relevance_score }] }`.
 * Settings are read per search through the settings cache, so a change applies without a restart. A failure
 * (missing credentials, network, timeout, non-2xx, an answer not in the rerank shape) never fails the
 * search: it answers in the fused order and logs a warning without any key.
 */
import { z } from 'zod';
import { bedrockFetch, bedrockRuntimeUrl } from '../../ai/bedrock-fetch';
import { resolveCredentials } from '../../ai/credentials';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import { defineSettings } from '../settings/settings.registry';
import type { SettingsService } from '../settings/settings.service';
import type { Reranker } from './knowledge.search';

export const COHERE_BASE_URL = 'https://api.cohere.com';
export const RERANK_PROVIDERS = ['cohere', 'amazon-bedrock'] as const;
/** Candidates sent per search, and characters of each (the services truncate long documents, too). */
const MAX_DOCUMENTS = 100;
const MAX_DOCUMENT_CHARS = 4_000;
const TIMEOUT_MS = 10_000;

defineSettings([
  {
    key: 'knowledge.rerank_provider',
    label: 'Rerank through (cohere or amazon-bedrock)',
    category: 'knowledge',
    description:
      "Where knowledge.rerank_model runs: cohere (Cohere's API, with cohere.api_key) or amazon-bedrock (Bedrock InvokeModel in the Bedrock provider's region, with its credentials)",
    default: 'cohere',
    schema: z.enum(RERANK_PROVIDERS),
  },
]);

type Fetch = typeof globalThis.fetch;

const RerankAnswer = z.object({
  results: z.array(z.object({ index: z.number().int().nonnegative(), relevance_score: z.number() })),
});

export interface RerankDeps {
  settings: SettingsService;
  /** The upstream transport the provider calls use (api/ai/http-fetch.ts). */
  fetch: Fetch;
  timeoutMs?: number;
}

/** One configured rerank service: where to POST, how to authenticate, and the body it takes. */
interface RerankTarget {
  provider: (typeof RERANK_PROVIDERS)[number];
  model: string;
  url: string;
  /** `deps.fetch` with the service's authentication added. */
  fetch: Fetch;
  body(query: string, documents: string[]): Record<string, unknown>;
}

/** The reranker as configured now, or none (no model named, or the provider not configured). */
export function rerankerFor(deps: RerankDeps) {
  return async (ctx: Ctx): Promise<Reranker | undefined> => {
    const model = (await deps.settings.get(ctx, 'knowledge.rerank_model'))?.trim();
    if (!model) return undefined;
    const provider = (await deps.settings.get(ctx, 'knowledge.rerank_provider'))?.trim() || 'cohere';
    const target =
      provider === 'amazon-bedrock'
        ? await bedrockTarget(deps, ctx, model)
        : await cohereTarget(deps, ctx, model);
    if (!target) return undefined;
    return { rerank: (query, candidates) => rerank(deps, ctx, target, query, candidates) };
  };
}

async function cohereTarget(deps: RerankDeps, ctx: Ctx, model: string): Promise<RerankTarget | undefined> {
  const apiKey = (await deps.settings.get(ctx, 'cohere.api_key'))?.trim();
  if (!apiKey) {
    ctx.log.warn({ model }, 'knowledge.rerank_model is set but cohere.api_key is not; not reranking');
    return undefined;
  }
  const baseUrl = (await deps.settings.get(ctx, 'cohere.base_url'))?.trim() || COHERE_BASE_URL;
  return {
    provider: 'cohere',
    model,
    url: `${baseUrl.replace(/\/+$/, '')}/v2/rerank`,
    fetch: (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${apiKey}`);
      return deps.fetch(input, { ...init, headers });
    },
    body: (query, documents) => ({ model, query, documents, top_n: documents.length }),
  };
}

async function bedrockTarget(deps: RerankDeps, ctx: Ctx, model: string): Promise<RerankTarget | undefined> {
  let credentials: Awaited<ReturnType<typeof resolveCredentials>>;
  try {
    credentials = await resolveCredentials(deps.settings, ctx, 'amazon-bedrock');
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    // Names the missing settings only (never their values).
    const { missing } = (err.details ?? {}) as { missing?: string[] };
    ctx.log.warn({ model, missing }, `${err.message}; not reranking`);
    return undefined;
  }
  const cohere = /(^|\/)cohere\./.test(model);
  return {
    provider: 'amazon-bedrock',
    model,
    url: `${bedrockRuntimeUrl(credentials)}/model/${encodeURIComponent(model)}/invoke`,
    fetch: bedrockFetch(credentials, deps.fetch),
    body: (query, documents) => ({
      query,
      documents,
      top_n: documents.length,
      ...(cohere ? { api_version: 2 } : {}),
    }),
  };
}

/** Candidate ids in the reranker's order; [] (the fused order stands) on any failure. */
async function rerank(
  deps: RerankDeps,
  ctx: Ctx,
  target: RerankTarget,
  query: string,
  candidates: { id: string; text: string }[],
): Promise<string[]> {
  const sent = candidates.slice(0, MAX_DOCUMENTS);
  if (sent.length < 2) return sent.map((c) => c.id);
  const warn = (reason: string, err?: unknown) =>
    ctx.log.warn(
      { err, reason, provider: target.provider, model: target.model, host: hostOf(target.url) },
      'knowledge rerank failed; answering in the fused order',
    );
  try {
    const res = await target.fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(
        target.body(
          query,
          sent.map((c) => c.text.slice(0, MAX_DOCUMENT_CHARS)),
        ),
      ),
      signal: AbortSignal.timeout(deps.timeoutMs ?? TIMEOUT_MS),
    });
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      // Bedrock names its error type in a header (its messages may echo the request: not logged).
      const type = res.headers.get('x-amzn-errortype')?.split(':')[0];
      warn(`status ${res.status}${type ? ` (${type})` : ''}`);
      return [];
    }
    const parsed = RerankAnswer.safeParse(await res.json().catch(() => null));
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
