/**
 * Listing and searching nodes. Without `q`: newest first, keyset cursor. With `q`: the best full-text
 * matches and the nearest semantic matches (each up to CANDIDATES, filters applied in SQL) fused by
 * reciprocal rank fusion (k = 60), paged by an offset cursor over that fused list.
 */
import type { z } from 'zod';
import type { Ctx } from '../../lib/ctx';
import { decodeCursor, decodeOffsetCursor, encodeOffsetCursor, pageOf } from '../../lib/cursor';
import { reciprocalRankFusion } from '../../lib/rank-fusion';
import { isUuid } from '../../lib/validate';
import { toPrefixQuery } from '../chat/conversations.repo';
import type { DecisionEmbedder } from './embedder';
import { invalid, parseGraphInput } from './graph.guard';
import {
  findNode,
  findPeople,
  listNodes,
  type NodeFilter,
  textCandidates,
  vectorCandidates,
} from './graph.repo';
import { ListNodesQuery, type SearchHitView } from './graph.schemas';
import { toNodeView } from './graph.views';

/** Candidates taken from each ranking before fusion (the fused list pages within these). */
export const CANDIDATES = 200;

function dateOf(value: string | undefined, field: string): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw invalid({ [field]: 'is not a valid date' });
  return date;
}

/** A person filter → person node ids: the node itself when given an id, else people matching name/e-mail. */
async function personIds(ctx: Ctx, person: string | undefined): Promise<string[] | undefined> {
  if (!person) return undefined;
  if (isUuid(person)) {
    const node = await findNode(ctx.db, person);
    return node?.type === 'person' ? [node.id] : [];
  }
  return (await findPeople(ctx.db, [person])).map((p) => p.id);
}

export async function searchNodes(
  ctx: Ctx,
  embed: DecisionEmbedder,
  query: unknown,
): Promise<{ items: SearchHitView[]; nextCursor: string | null; embedder?: string }> {
  const q = parseGraphInput(ListNodesQuery, query);
  const filter: NodeFilter = {
    type: q.type,
    class: q.class,
    status: q.status,
    since: dateOf(q.since, 'since'),
    until: dateOf(q.until, 'until'),
    personIds: await personIds(ctx, q.person),
  };
  const text = q.q?.trim();
  if (!text) {
    const rows = await listNodes(ctx.db, { ...filter, after: decodeCursor(q.cursor), limit: q.limit + 1 });
    const page = pageOf(rows, q.limit);
    return { items: page.items.map(toNodeView), nextCursor: page.nextCursor };
  }
  const offset = decodeOffsetCursor(q.cursor);
  const tsquery = toPrefixQuery(text);
  const byText = tsquery ? await textCandidates(ctx.db, { ...filter, tsquery, limit: CANDIDATES }) : [];
  const embedding = await embed(ctx, text);
  const bySense = await vectorCandidates(ctx.db, {
    ...filter,
    embedding,
    minSimilarity: embedding.minSimilarity,
    limit: CANDIDATES,
  });
  const fused = reciprocalRankFusion([byText, bySense], (n) => n.id);
  const page = fused.slice(offset, offset + q.limit);
  return {
    items: page.map(({ item, score, ranks }) => ({
      ...toNodeView(item),
      score,
      matchedBy: [...(ranks[0] ? ['text' as const] : []), ...(ranks[1] ? ['semantic' as const] : [])],
    })),
    nextCursor: offset + q.limit < fused.length ? encodeOffsetCursor(offset + q.limit) : null,
    embedder: embedding.model,
  };
}
