/**
 * Search as the service answers it: the readable repositories (all, or these ids), grouped by embedder so
 * each group's question is embedded once with its model, then one hybrid search (knowledge.search.ts).
 */
import type { z } from 'zod';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import { parseInput } from '../../lib/validate';
import { notFound, readCheck } from './knowledge.checks';
import type { Embedder } from './knowledge.embed';
import { listReadableRepositories, type RepositoryRow } from './knowledge.repo';
import { SearchQuery, type SearchResult } from './knowledge.schemas';
import { hybridSearch, type Reranker, TYPE_MEDIA } from './knowledge.search';

export interface QueryDeps {
  embedderFor(ctx: Ctx, repo: RepositoryRow): Promise<Embedder>;
  /** The rerank pass as configured now (knowledge.rerank.ts); none = the fused order. */
  rerankerFor?(ctx: Ctx): Promise<Reranker | undefined>;
}

/** `type=pdf,docx` as media types; an unknown type is a 422 naming the field. */
function mediaTypesOf(type: string | undefined): string[] | undefined {
  if (!type) return undefined;
  return type
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .flatMap((t) => {
      const types = TYPE_MEDIA[t];
      if (!types)
        throw new AppError('validation:knowledge', `Unknown type ${t}`, {
          details: { fields: { type: `unknown type ${t}` } },
        });
      return types;
    });
}

/** Hybrid search across the readable repositories (or these of them). */
export async function searchKnowledge(
  deps: QueryDeps,
  ctx: Ctx,
  input: z.input<typeof SearchQuery> & { repositoryIds?: string[] },
): Promise<(SearchResult & { text: string })[]> {
  readCheck(ctx);
  const data = parseInput(SearchQuery, input, 'knowledge');
  const ids = input.repositoryIds;
  if (ids && ids.length === 0) return [];
  const repos = await listReadableRepositories(ctx.db, ctx.actor, ids);
  if (ids && ids.length === 1 && repos.length === 0) throw notFound();
  const mediaTypes = mediaTypesOf(data.type);
  const groups = new Map<string, { embedder: Embedder; repositoryIds: string[] }>();
  for (const repo of repos) {
    const key = `${repo.embeddingModelId ?? 'lexical'}:${repo.embeddingDimensions}`;
    let group = groups.get(key);
    if (!group) {
      group = { embedder: await deps.embedderFor(ctx, repo), repositoryIds: [] };
      groups.set(key, group);
    }
    group.repositoryIds.push(repo.id);
  }
  const searchGroups = await Promise.all(
    [...groups.values()].map(async (g) => ({
      repositoryIds: g.repositoryIds,
      dimensions: g.embedder.dimensions,
      vector: (
        await g.embedder.embed([data.q], { userId: ctx.actor.id, requestId: ctx.requestId })
      )[0] as number[],
    })),
  );
  return hybridSearch(
    ctx.db,
    ctx.actor,
    {
      query: data.q,
      limit: data.limit,
      repositoryIds: repos.map((r) => r.id),
      groups: searchGroups,
      mediaTypes,
    },
    await deps.rerankerFor?.(ctx),
  );
}
