/**
 * The decision log (REST, Remix, MCP tools all call this): nodes and edges, one-call capture of a decision
 * subgraph, hybrid search, neighbourhoods and the decision package. Reading needs `decisions:read` (token
 * scope `graph:read`), writing `decisions:write` (`graph:write`); every write is audited with its actor in
 * the same transaction.
 */
import type { z } from 'zod';
import type { Ctx } from '../../lib/ctx';
import { decodeCursor, pageOf } from '../../lib/cursor';
import { AppError } from '../../lib/errors';
import { isUuid } from '../../lib/validate';
import type { AuditService } from '../audit/audit.service';
import type { AuditAction } from '../audit/audit-actions';
import { captureDecision } from './capture';
import { type DecisionEmbedder, embeddingText, embedForDecisions } from './embedder';
import {
  assertRead,
  assertWrite,
  edgeNotFound,
  inTransaction,
  invalid,
  nodeNotFound,
  parseGraphInput,
} from './graph.guard';
import {
  countIncoming,
  deleteEdge,
  deleteNode,
  edgesAmong,
  findNode,
  findNodes,
  insertEdges,
  insertNodes,
  listEdges,
  type NodeRecord,
  neighbourhood,
  reinstate,
  setStatus,
  updateNode,
} from './graph.repo';
import {
  type ConnectionsView,
  CreateEdgeInput,
  CreateNodeInput,
  type GraphEdgeView,
  type GraphNodeView,
  ListEdgesQuery,
  type ListNodesQuery,
  UpdateNodeInput,
} from './graph.schemas';
import { provenanceOf, toEdgeView, toNodeView } from './graph.views';
import { buildPackage, type PackageOptions } from './package';
import { renderPackageMarkdown } from './package.markdown';
import { searchNodes } from './search';

/** A neighbourhood stops growing here (depth 3 around a hub can reach far). */
const MAX_NEIGHBOURS = 300;

export type GraphAudit = (
  ctx: Ctx,
  action: AuditAction,
  node: { id: string },
  details?: Record<string, unknown>,
) => Promise<void>;

export class DecisionsService {
  readonly embed: DecisionEmbedder;
  readonly audit: GraphAudit;

  constructor(private readonly deps: { audit: AuditService; embed?: DecisionEmbedder }) {
    this.embed = deps.embed ?? embedForDecisions;
    this.audit = (ctx, action, node, details = {}) =>
      deps.audit.record(ctx, { action, targetType: 'graph_node', targetId: node.id, details });
  }

  async getNode(ctx: Ctx, id: string): Promise<GraphNodeView> {
    assertRead(ctx.actor);
    return toNodeView(await this.requireNode(ctx, id));
  }

  /** A page of nodes, newest first; with `q`, full text and semantic results fused (best first). */
  search(ctx: Ctx, query: z.input<typeof ListNodesQuery> | Record<string, unknown>) {
    assertRead(ctx.actor);
    return searchNodes(ctx, this.embed, query);
  }

  async createNode(ctx: Ctx, input: z.input<typeof CreateNodeInput>): Promise<GraphNodeView> {
    assertWrite(ctx.actor);
    const data = parseGraphInput(CreateNodeInput, input);
    const embedding = await this.embed(ctx, embeddingText(data));
    return inTransaction(ctx, async (tx) => {
      const [row] = await insertNodes(tx, [
        {
          type: data.type,
          title: data.title,
          body: data.body ?? '',
          class: data.class ?? null,
          status: data.status ?? (data.type === 'decision' ? 'accepted' : null),
          metadata: data.metadata ?? {},
          ...provenanceOf(ctx.actor, data.agentId),
          embedding,
        },
      ]);
      await this.audit({ ...ctx, db: tx }, 'graph.node_create', row!, { type: row!.type, title: row!.title });
      return toNodeView(row!);
    });
  }

  async updateNode(ctx: Ctx, id: string, input: z.input<typeof UpdateNodeInput>): Promise<GraphNodeView> {
    assertWrite(ctx.actor);
    const patch = parseGraphInput(UpdateNodeInput, input);
    const current = await this.requireNode(ctx, id);
    const textChanged = patch.title !== undefined || patch.body !== undefined || patch.class !== undefined;
    const embedding = textChanged
      ? await this.embed(ctx, embeddingText({ ...current, ...patch }))
      : undefined;
    return inTransaction(ctx, async (tx) => {
      const row = await updateNode(tx, current.id, patch, embedding);
      if (!row) throw nodeNotFound();
      await this.audit({ ...ctx, db: tx }, 'graph.node_update', row, {
        changed: Object.keys(patch).sort(),
        ...(patch.status !== undefined ? { status: { from: current.status, to: patch.status } } : {}),
      });
      return toNodeView(row);
    });
  }

  async deleteNode(ctx: Ctx, id: string): Promise<void> {
    assertWrite(ctx.actor);
    const current = await this.requireNode(ctx, id);
    await inTransaction(ctx, async (tx) => {
      if (!(await deleteNode(tx, current.id))) throw nodeNotFound();
      await this.audit({ ...ctx, db: tx }, 'graph.node_delete', current, {
        type: current.type,
        title: current.title,
      });
    });
  }

  async listEdges(ctx: Ctx, query: z.input<typeof ListEdgesQuery>) {
    assertRead(ctx.actor);
    const q = parseGraphInput(ListEdgesQuery, query);
    const rows = await listEdges(ctx.db, {
      nodeId: q.nodeId,
      type: q.type,
      after: decodeCursor(q.cursor),
      limit: q.limit + 1,
    });
    const page = pageOf(rows, q.limit);
    return { items: page.items.map(toEdgeView), nextCursor: page.nextCursor };
  }

  /**
   * One edge. No self-loops; both ends must exist; `supersedes` links two decisions and marks the older one
   * superseded in the same transaction; a second identical edge is a 409.
   */
  async createEdge(ctx: Ctx, input: z.input<typeof CreateEdgeInput>): Promise<GraphEdgeView> {
    assertWrite(ctx.actor);
    const data = parseGraphInput(CreateEdgeInput, input);
    if (data.fromNodeId === data.toNodeId)
      throw invalid({ toNodeId: 'must differ from fromNodeId (an edge cannot link a node to itself)' });
    return inTransaction(ctx, async (tx) => {
      const found = new Map((await findNodes(tx, [data.fromNodeId, data.toNodeId])).map((n) => [n.id, n]));
      const from = found.get(data.fromNodeId);
      const to = found.get(data.toNodeId);
      const missing: Record<string, string> = {};
      if (!from) missing.fromNodeId = 'is not a node';
      if (!to) missing.toNodeId = 'is not a node';
      if (!from || !to) throw invalid(missing);
      if (data.type === 'supersedes' && (from.type !== 'decision' || to.type !== 'decision'))
        throw invalid({ type: 'supersedes links a decision to the earlier decision it replaces' });
      const [edge] = await insertEdges(tx, [
        {
          fromNodeId: from.id,
          toNodeId: to.id,
          type: data.type,
          metadata: data.metadata ?? {},
          createdByUserId: ctx.actor.id,
        },
      ]);
      if (!edge)
        throw new AppError('conflict:graph', 'These nodes are already linked by an edge of this type', {
          details: { fields: { type: 'already links these nodes' } },
        });
      const txCtx = { ...ctx, db: tx };
      await this.audit(txCtx, 'graph.edge_create', from, { edgeId: edge.id, type: edge.type, to: to.id });
      if (data.type === 'supersedes') await this.markSuperseded(txCtx, [to.id], from);
      return toEdgeView(edge);
    });
  }

  /** Deletes an edge; a decision no longer superseded by anything is accepted again. */
  async deleteEdge(ctx: Ctx, id: string): Promise<void> {
    assertWrite(ctx.actor);
    if (!isUuid(id)) throw edgeNotFound();
    await inTransaction(ctx, async (tx) => {
      const edge = await deleteEdge(tx, id);
      if (!edge) throw edgeNotFound();
      const txCtx = { ...ctx, db: tx };
      await this.audit(
        txCtx,
        'graph.edge_delete',
        { id: edge.fromNodeId },
        {
          edgeId: edge.id,
          type: edge.type,
          to: edge.toNodeId,
        },
      );
      if (edge.type === 'supersedes' && (await countIncoming(tx, edge.toNodeId, 'supersedes')) === 0) {
        if (await reinstate(tx, edge.toNodeId))
          await this.audit(txCtx, 'graph.node_reinstated', { id: edge.toNodeId }, { status: 'accepted' });
      }
    });
  }

  /** Flips decisions to superseded (same transaction as the edge) and notes it in each one's history. */
  async markSuperseded(ctx: Ctx, ids: readonly string[], by: NodeRecord): Promise<string[]> {
    const changed = await setStatus(ctx.db, ids, 'superseded');
    for (const id of changed)
      await this.audit(ctx, 'graph.node_superseded', { id }, { by: by.id, byTitle: by.title });
    return changed;
  }

  capture(ctx: Ctx, input: unknown) {
    assertWrite(ctx.actor);
    return captureDecision(ctx, this, input);
  }

  /** The nodes within `depth` (1–3) hops and the edges among them. */
  async connections(ctx: Ctx, id: string, depth: unknown = 1): Promise<ConnectionsView> {
    assertRead(ctx.actor);
    const wanted = Number(depth);
    if (!Number.isInteger(wanted) || wanted < 1 || wanted > 3) throw invalid({ depth: 'must be 1, 2 or 3' });
    const root = await this.requireNode(ctx, id);
    const reach = await neighbourhood(ctx.db, root.id, wanted, MAX_NEIGHBOURS + 1);
    const kept = reach.slice(0, MAX_NEIGHBOURS);
    const distance = new Map(kept.map((r) => [r.id, r.distance]));
    const nodes = await findNodes(ctx.db, [...distance.keys()]);
    const edges = await edgesAmong(ctx.db, [...distance.keys()]);
    return {
      root: root.id,
      depth: wanted,
      nodes: nodes
        .map((n) => ({ ...toNodeView(n), distance: distance.get(n.id) ?? 0 }))
        .sort((a, b) => a.distance - b.distance || a.createdAt.localeCompare(b.createdAt)),
      edges: edges.map(toEdgeView),
      truncated: reach.length > MAX_NEIGHBOURS,
    };
  }

  /** A node with everything linked to it, grouped by role, and its history. */
  async package(ctx: Ctx, id: string, options: PackageOptions = {}) {
    assertRead(ctx.actor);
    const node = await this.requireNode(ctx, id);
    return buildPackage(ctx, { audit: this.deps.audit }, node, options);
  }

  async packageMarkdown(ctx: Ctx, id: string, options: PackageOptions = {}): Promise<string> {
    return renderPackageMarkdown(await this.package(ctx, id, options));
  }

  private async requireNode(ctx: Ctx, id: string): Promise<NodeRecord> {
    const row = isUuid(id) ? await findNode(ctx.db, id) : undefined;
    if (!row) throw nodeNotFound();
    return row;
  }
}
