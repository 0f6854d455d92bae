/** SQL of the decision graph: nodes, edges, people lookup, filters and the neighbourhood walk. */
import { and, asc, desc, eq, getTableColumns, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../../../db/client';
import { graphEdges, graphNodes, type NodeStatus } from '../../../db/schema/index';
import type { CursorPosition } from '../../lib/cursor';

export type NodeRow = typeof graphNodes.$inferSelect;
export type NewNodeRow = typeof graphNodes.$inferInsert;
export type EdgeRow = typeof graphEdges.$inferSelect;
export type NewEdgeRow = typeof graphEdges.$inferInsert;

/** Every column but the generated tsvector and the vector (neither is ever sent to clients). */
const { search: _search, embedding: _embedding, ...nodeColumns } = getTableColumns(graphNodes);
export type NodeRecord = Omit<NodeRow, 'search' | 'embedding'>;

export interface EmbeddingValue {
  vector: number[];
  dims: number;
  model: string;
}

/** pgvector's text form; the numbers come from our embedder, never from a request. */
export const vectorLiteral = (v: readonly number[]) =>
  `[${v.map((x) => (Number.isFinite(x) ? x : 0)).join(',')}]`;

const embeddingColumns = (e: EmbeddingValue | null) =>
  e
    ? { embedding: vectorLiteral(e.vector), embeddingDims: e.dims, embeddingModel: e.model }
    : { embedding: null, embeddingDims: null, embeddingModel: null };

export async function insertNodes(
  db: Queryable,
  rows: (Omit<NewNodeRow, 'embedding' | 'embeddingDims' | 'embeddingModel'> & {
    embedding: EmbeddingValue | null;
  })[],
): Promise<NodeRecord[]> {
  if (!rows.length) return [];
  return db
    .insert(graphNodes)
    .values(rows.map((r) => ({ ...r, ...embeddingColumns(r.embedding) })))
    .returning(nodeColumns);
}

export async function findNode(db: Queryable, id: string): Promise<NodeRecord | undefined> {
  const [row] = await db.select(nodeColumns).from(graphNodes).where(eq(graphNodes.id, id));
  return row;
}

export function findNodes(db: Queryable, ids: readonly string[]): Promise<NodeRecord[]> {
  if (!ids.length) return Promise.resolve([]);
  return db
    .select(nodeColumns)
    .from(graphNodes)
    .where(inArray(graphNodes.id, [...ids]));
}

export async function updateNode(
  db: Queryable,
  id: string,
  patch: Partial<Pick<NewNodeRow, 'title' | 'body' | 'class' | 'status' | 'metadata'>>,
  embedding?: EmbeddingValue | null,
): Promise<NodeRecord | undefined> {
  const [row] = await db
    .update(graphNodes)
    .set({ ...patch, ...(embedding !== undefined ? embeddingColumns(embedding) : {}), updatedAt: new Date() })
    .where(eq(graphNodes.id, id))
    .returning(nodeColumns);
  return row;
}

/** Marks nodes superseded (only those not already so); returns the ids that changed. */
export async function setStatus(
  db: Queryable,
  ids: readonly string[],
  status: NodeStatus,
): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db
    .update(graphNodes)
    .set({ status, updatedAt: new Date() })
    .where(and(inArray(graphNodes.id, [...ids]), sql`${graphNodes.status} is distinct from ${status}`))
    .returning({ id: graphNodes.id });
  return rows.map((r) => r.id);
}

export async function deleteNode(db: Queryable, id: string): Promise<boolean> {
  const rows = await db.delete(graphNodes).where(eq(graphNodes.id, id)).returning({ id: graphNodes.id });
  return rows.length > 0;
}

/** Person nodes whose name or e-mail equals one of these (case-insensitive). */
export function findPeople(db: Queryable, keys: readonly string[]): Promise<NodeRecord[]> {
  const lowered = [...new Set(keys.map((k) => k.toLowerCase()))];
  if (!lowered.length) return Promise.resolve([]);
  return db
    .select(nodeColumns)
    .from(graphNodes)
    .where(
      and(
        eq(graphNodes.type, 'person'),
        or(
          inArray(sql`lower(${graphNodes.title})`, lowered),
          inArray(sql`lower(${graphNodes.metadata}->>'email')`, lowered),
        ),
      ),
    )
    .orderBy(asc(graphNodes.createdAt));
}

// ——— edges ———

/** Inserts edges; an existing (from, to, type) is kept and not returned. */
export async function insertEdges(db: Queryable, rows: NewEdgeRow[]): Promise<EdgeRow[]> {
  if (!rows.length) return [];
  return db.insert(graphEdges).values(rows).onConflictDoNothing().returning();
}

export async function findEdge(db: Queryable, id: string): Promise<EdgeRow | undefined> {
  const [row] = await db.select().from(graphEdges).where(eq(graphEdges.id, id));
  return row;
}

export async function deleteEdge(db: Queryable, id: string): Promise<EdgeRow | undefined> {
  const [row] = await db.delete(graphEdges).where(eq(graphEdges.id, id)).returning();
  return row;
}

export async function countIncoming(db: Queryable, toNodeId: string, type: EdgeRow['type']): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(graphEdges)
    .where(and(eq(graphEdges.toNodeId, toNodeId), eq(graphEdges.type, type)));
  return row?.n ?? 0;
}

/** Edges touching a node, either direction. */
export function edgesOf(db: Queryable, nodeId: string): Promise<EdgeRow[]> {
  return db
    .select()
    .from(graphEdges)
    .where(or(eq(graphEdges.fromNodeId, nodeId), eq(graphEdges.toNodeId, nodeId)))
    .orderBy(asc(graphEdges.createdAt), asc(graphEdges.id));
}

/** Edges with both ends among these nodes. */
export function edgesAmong(db: Queryable, ids: readonly string[]): Promise<EdgeRow[]> {
  if (!ids.length) return Promise.resolve([]);
  return db
    .select()
    .from(graphEdges)
    .where(and(inArray(graphEdges.fromNodeId, [...ids]), inArray(graphEdges.toNodeId, [...ids])))
    .orderBy(asc(graphEdges.createdAt), asc(graphEdges.id));
}

export function listEdges(
  db: Queryable,
  f: { nodeId?: string; type?: EdgeRow['type']; after?: CursorPosition; limit: number },
): Promise<EdgeRow[]> {
  const where: SQL[] = [];
  if (f.nodeId) where.push(or(eq(graphEdges.fromNodeId, f.nodeId), eq(graphEdges.toNodeId, f.nodeId))!);
  if (f.type) where.push(eq(graphEdges.type, f.type));
  if (f.after)
    where.push(
      sql`(date_trunc('milliseconds', ${graphEdges.createdAt}), ${graphEdges.id}) < (${f.after.createdAt.toISOString()}::timestamptz, ${f.after.id}::uuid)`,
    );
  return db
    .select()
    .from(graphEdges)
    .where(and(...where))
    .orderBy(desc(sql`date_trunc('milliseconds', ${graphEdges.createdAt})`), desc(graphEdges.id))
    .limit(f.limit);
}

// ——— lists and search ———

export interface NodeFilter {
  type?: NodeRow['type'];
  class?: string;
  status?: NodeStatus;
  since?: Date;
  until?: Date;
  /** Only nodes linked to (or being) one of these person nodes. */
  personIds?: readonly string[];
}

function filterSql(f: NodeFilter): SQL[] {
  const where: SQL[] = [];
  if (f.type) where.push(eq(graphNodes.type, f.type));
  if (f.class) where.push(sql`lower(${graphNodes.class}) = lower(${f.class})`);
  if (f.status) where.push(eq(graphNodes.status, f.status));
  if (f.since) where.push(sql`${graphNodes.createdAt} >= ${f.since.toISOString()}::timestamptz`);
  if (f.until) where.push(sql`${graphNodes.createdAt} < ${f.until.toISOString()}::timestamptz`);
  if (f.personIds) {
    const ids = sql`(${sql.join(
      f.personIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})`;
    where.push(
      f.personIds.length
        ? sql`(${graphNodes.id} in ${ids} or exists (select 1 from ${graphEdges} e where (e.from_node_id = ${graphNodes.id} and e.to_node_id in ${ids}) or (e.to_node_id = ${graphNodes.id} and e.from_node_id in ${ids})))`
        : sql`false`,
    );
  }
  return where;
}

/** Newest first, keyset on (created_at to the millisecond, id). */
export function listNodes(
  db: Queryable,
  f: NodeFilter & { after?: CursorPosition; limit: number },
): Promise<NodeRecord[]> {
  const where = filterSql(f);
  if (f.after)
    where.push(
      sql`(date_trunc('milliseconds', ${graphNodes.createdAt}), ${graphNodes.id}) < (${f.after.createdAt.toISOString()}::timestamptz, ${f.after.id}::uuid)`,
    );
  return db
    .select(nodeColumns)
    .from(graphNodes)
    .where(and(...where))
    .orderBy(desc(sql`date_trunc('milliseconds', ${graphNodes.createdAt})`), desc(graphNodes.id))
    .limit(f.limit);
}

/** Full-text candidates, best first (ts_rank_cd; title weighs more than body). */
export function textCandidates(
  db: Queryable,
  f: NodeFilter & { tsquery: string; limit: number },
): Promise<NodeRecord[]> {
  const q = sql`to_tsquery('simple', ${f.tsquery})`;
  return db
    .select(nodeColumns)
    .from(graphNodes)
    .where(and(sql`${graphNodes.search} @@ ${q}`, ...filterSql(f)))
    .orderBy(desc(sql`ts_rank_cd(${graphNodes.search}, ${q})`), desc(graphNodes.createdAt))
    .limit(f.limit);
}

/**
 * Semantic candidates: cosine similarity against vectors of the same embedder, nearest first, above a
 * floor (a hashing or neural embedder always has *some* nearest neighbour). The cast to vector(N) with
 * `embedding_dims = N` matches the partial HNSW index of that dimension.
 */
export function vectorCandidates(
  db: Queryable,
  f: NodeFilter & { embedding: EmbeddingValue; minSimilarity: number; limit: number },
): Promise<NodeRecord[]> {
  const dims = sql.raw(String(Math.trunc(f.embedding.dims)));
  const distance = sql`(${graphNodes.embedding}::vector(${dims}) <=> ${vectorLiteral(f.embedding.vector)}::vector(${dims}))`;
  return db
    .select(nodeColumns)
    .from(graphNodes)
    .where(
      and(
        eq(graphNodes.embeddingDims, f.embedding.dims),
        eq(graphNodes.embeddingModel, f.embedding.model),
        sql`${distance} <= ${1 - f.minSimilarity}`,
        ...filterSql(f),
      ),
    )
    .orderBy(distance)
    .limit(f.limit);
}

// ——— neighbourhood ———

/**
 * Nodes within `depth` hops of a node, either edge direction, each with its shortest distance. UNION (not
 * UNION ALL) keeps the walk finite on cycles; the depth bound (≤ 3) and the row limit bound its cost.
 */
export async function neighbourhood(
  db: Queryable,
  rootId: string,
  depth: number,
  limit: number,
): Promise<{ id: string; distance: number }[]> {
  const rows = await db.execute<{ id: string; distance: number }>(sql`
    with recursive walk(node_id, distance) as (
      select ${rootId}::uuid, 0
      union
      select case when e.from_node_id = w.node_id then e.to_node_id else e.from_node_id end, w.distance + 1
      from walk w
      join ${graphEdges} e on e.from_node_id = w.node_id or e.to_node_id = w.node_id
      where w.distance < ${depth}
    )
    select node_id as id, min(distance)::int as distance
    from walk group by node_id order by min(distance), node_id limit ${limit}`);
  return [...rows];
}

/** A superseded decision back to accepted (when the last edge superseding it is removed). */
export async function reinstate(db: Queryable, id: string): Promise<boolean> {
  const rows = await db
    .update(graphNodes)
    .set({ status: 'accepted', updatedAt: new Date() })
    .where(and(eq(graphNodes.id, id), eq(graphNodes.status, 'superseded')))
    .returning({ id: graphNodes.id });
  return rows.length > 0;
}
