/**
 * Hybrid search: nearest chunks by cosine distance (HNSW, per embedder dimension) and full-text matches
 * (`websearch_to_tsquery` in each repository's language), fused by reciprocal rank (k = 60), optionally
 * reranked. Every query carries the reader's access predicate and reads only published generations.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../../../db/client';
import type { ChunkLocation } from '../../../db/schema/index';
import type { Actor } from '../../lib/ctx';
import { reciprocalRankFusion } from '../../lib/rank-fusion';
import { readableBy } from './knowledge.access';
import type { SearchResult } from './knowledge.schemas';

/** Marks ts_headline puts around matched terms; stripped from stored text so they cannot be forged. */
export const MARK_OPEN = '\u27e6';
export const MARK_CLOSE = '\u27e7';
const CANDIDATES = 40;

export const TYPE_MEDIA: Record<string, string[]> = {
  pdf: ['application/pdf'],
  docx: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  xlsx: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  pptx: ['application/vnd.openxmlformats-officedocument.presentationml.presentation'],
  txt: ['text/plain'],
  md: ['text/markdown'],
  csv: ['text/csv'],
  json: ['application/json'],
  html: ['text/html'],
  image: ['image/png', 'image/jpeg', 'image/gif', 'image/webp'],
};

/** An optional second pass over the fused candidates (a Cohere or Bedrock reranker when configured). */
export interface Reranker {
  rerank(query: string, candidates: { id: string; text: string }[]): Promise<string[]>;
}

export interface SearchGroup {
  repositoryIds: string[];
  dimensions: number;
  /** The query's vector from this group's embedder. */
  vector: number[];
}

export interface HybridSearchInput {
  query: string;
  limit: number;
  /** Readable repositories to search (already narrowed by the caller); access is checked again in SQL. */
  repositoryIds: string[];
  groups: SearchGroup[];
  mediaTypes?: string[];
}

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows);

/**
 * The readable repositories among `ids`, as an array evaluated once per statement (an InitPlan): the access
 * predicate stays inside every query, but out of the per-chunk plan, so the planner still drives the search
 * from the HNSW or GIN index instead of scanning every chunk of the repository (docs/decisions/017).
 */
const readableIds = (actor: Actor, ids: string[]) =>
  sql`array(select r.id from knowledge_repositories r
    where r.id = any(${`{${ids.join(',')}}`}::uuid[]) and ${readableBy(actor)})`;

const mediaFilter = (input: HybridSearchInput) =>
  input.mediaTypes?.length
    ? sql`and i.media_type = any(${`{${input.mediaTypes.join(',')}}`}::text[])`
    : sql``;

function scope(actor: Actor, input: HybridSearchInput): SQL {
  return sql`c.repository_id = any(${`{${input.repositoryIds.join(',')}}`}::uuid[])
    and ${readableBy(actor)} ${mediaFilter(input)}`;
}

const FROM = sql`from knowledge_chunks c
  join knowledge_items i on i.id = c.item_id and i.published_generation = c.generation
  join knowledge_repositories r on r.id = c.repository_id`;

/**
 * Nearest chunks: the HNSW index is walked in the inner query (ORDER BY distance LIMIT on the chunk table
 * alone, which the planner serves from the partial index of this dimension); published generations and
 * media types are checked on those candidates.
 */
async function vectorIds(
  db: Queryable,
  actor: Actor,
  input: HybridSearchInput,
  group: SearchGroup,
  k: number,
) {
  // The dimension is an integer literal so the planner matches the partial HNSW index of that dimension.
  const n = sql.raw(String(Math.trunc(group.dimensions)));
  const vector = `[${group.vector.join(',')}]`;
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`select v.id from (
        select c.id, c.item_id, c.generation, c.embedding::vector(${n}) <=> ${vector}::vector(${n}) as distance
        from knowledge_chunks c
        where c.dims = ${n} and c.repository_id = any(${readableIds(actor, group.repositoryIds)})
        order by c.embedding::vector(${n}) <=> ${vector}::vector(${n})
        limit ${k}
      ) v
      join knowledge_items i on i.id = v.item_id and i.published_generation = v.generation
      where true ${mediaFilter(input)}
      order by v.distance, v.id`),
  );
  return rows.map((r) => r.id);
}

/**
 * Full-text matches: the query is built once per readable repository (its language) in a materialized CTE,
 * each drives a GIN bitmap scan of that repository's chunks (a lateral subquery kept apart by `offset 0` and
 * a materialized CTE, so the planner cannot turn it into a scan of every chunk hashed against the queries or
 * joined to its item first); only the matches are then checked for publication.
 */
async function textIds(db: Queryable, actor: Actor, input: HybridSearchInput, k: number) {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`with q as materialized (
        select r.id as repository_id, websearch_to_tsquery(r.text_search_config, ${input.query}) as query
        from knowledge_repositories r
        where r.id = any(${readableIds(actor, input.repositoryIds)})
      ),
      matched as materialized (
        select m.* from q cross join lateral (
          select c.id, c.item_id, c.generation, ts_rank_cd(c.search, q.query) as rank
          from knowledge_chunks c
          where c.repository_id = q.repository_id and c.search @@ q.query
          offset 0
        ) m
      )
      select m.id from matched m
      join knowledge_items i on i.id = m.item_id and i.published_generation = m.generation
      where true ${mediaFilter(input)}
      order by m.rank desc, m.id
      limit ${k}`),
  );
  return rows.map((r) => r.id);
}

interface DetailRow {
  id: string;
  item_id: string;
  repository_id: string;
  title: string;
  location: ChunkLocation;
  text: string;
  snippet: string;
}

async function details(db: Queryable, actor: Actor, input: HybridSearchInput, ids: string[]) {
  const options = `StartSel=${MARK_OPEN}, StopSel=${MARK_CLOSE}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`;
  const rows = rowsOf<DetailRow>(
    await db.execute(sql`select c.id, c.item_id, c.repository_id, i.title, c.location, c.text,
        ts_headline(c.text_search_config, c.text, websearch_to_tsquery(c.text_search_config, ${input.query}), ${options}) as snippet
      ${FROM}
      where c.id = any(${`{${ids.join(',')}}`}::uuid[]) and ${scope(actor, input)}`),
  );
  return new Map(rows.map((r) => [r.id, r]));
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[ch]};`);

/** HTML-escaped snippet with `<mark>` around matched terms. */
export const markSnippet = (headline: string) =>
  escapeHtml(headline).replaceAll(MARK_OPEN, '<mark>').replaceAll(MARK_CLOSE, '</mark>');

export async function hybridSearch(
  db: Queryable,
  actor: Actor,
  input: HybridSearchInput,
  reranker?: Reranker,
): Promise<(SearchResult & { text: string })[]> {
  if (input.repositoryIds.length === 0) return [];
  const k = Math.max(CANDIDATES, input.limit * 4);
  const lists = await Promise.all([
    ...input.groups.map((g) => vectorIds(db, actor, input, g, k)),
    textIds(db, actor, input, k),
  ]);
  let fused = reciprocalRankFusion(lists, (id) => id).slice(0, Math.max(input.limit, reranker ? k : 0));
  if (fused.length === 0) return [];
  const byId = await details(
    db,
    actor,
    input,
    fused.map((f) => f.item),
  );
  if (reranker) {
    const order = await reranker.rerank(
      input.query,
      fused.flatMap((f) => (byId.has(f.item) ? [{ id: f.item, text: byId.get(f.item)!.text }] : [])),
    );
    const rank = new Map(order.map((id, i) => [id, i]));
    fused = [...fused].sort((a, b) => (rank.get(a.item) ?? 1e9) - (rank.get(b.item) ?? 1e9));
  }
  return fused.slice(0, input.limit).flatMap((f) => {
    const row = byId.get(f.item);
    if (!row) return [];
    const { ocr, ...location } = row.location ?? {};
    return [
      {
        itemId: row.item_id,
        repositoryId: row.repository_id,
        title: row.title,
        location,
        snippet: markSnippet(row.snippet),
        score: Number(f.score.toFixed(6)),
        readBy: ocr ?? 'text',
        text: row.text,
      },
    ];
  });
}
