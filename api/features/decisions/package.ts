/**
 * The decision package: a node with every node linked to it, grouped by the role the edge gives it (who
 * decided, evidence, constraints, conditions, alternatives, consulted, notified, what it supersedes and what
 * superseded it, anything else related), the edges themselves, and its history from the audit trail.
 */
import type { Ctx } from '../../lib/ctx';
import type { AuditService } from '../audit/audit.service';
import { type EdgeRow, edgesOf, findNodes, type NodeRecord } from './graph.repo';
import type { DecisionPackageView, GraphNodeView } from './graph.schemas';
import { toEdgeView, toNodeView } from './graph.views';

export interface PackageOptions {
  /** How many history entries to include (newest first); default 50. */
  historyLimit?: number;
}

type Group = Exclude<keyof DecisionPackageView, 'node' | 'related' | 'edges' | 'history'>;

/** Where a linked node goes, seen from the package's node. */
function groupOf(edge: EdgeRow, direction: 'out' | 'in', other: NodeRecord): Group | null {
  if (direction === 'out') {
    if (edge.type === 'decided_by') return 'decidedBy';
    if (edge.type === 'consulted') return 'consulted';
    if (edge.type === 'notified') return 'notified';
    if (edge.type === 'considered') return 'alternatives';
    if (edge.type === 'supersedes') return 'supersedes';
    if (edge.type === 'depends_on' && other.type === 'constraint') return 'constraints';
    if (edge.type === 'depends_on' && other.type === 'condition') return 'conditions';
    return null;
  }
  if (edge.type === 'supports' && other.type === 'evidence') return 'evidence';
  if (edge.type === 'supersedes') return 'supersededBy';
  return null;
}

/** An audit entry of a node in words, for people reading its history. */
export function summarize(action: string, details: Record<string, unknown>): string {
  const text = (key: string) => (typeof details[key] === 'string' ? (details[key] as string) : '');
  switch (action) {
    case 'graph.decision_capture':
      return `Captured with ${Number(details.nodes ?? 1) - 1} linked items and ${Number(details.edges ?? 0)} links`;
    case 'graph.node_create':
      return 'Created';
    case 'graph.node_update': {
      const status = details.status as { from?: string | null; to?: string | null } | undefined;
      return status ? `Status changed from ${status.from ?? 'none'} to ${status.to ?? 'none'}` : 'Edited';
    }
    case 'graph.node_superseded':
      return `Superseded by “${text('byTitle')}”`;
    case 'graph.node_reinstated':
      return 'Accepted again (no longer superseded)';
    case 'graph.edge_create':
      return `Linked (${text('type').replace('_', ' ')})`;
    case 'graph.edge_delete':
      return `Link removed (${text('type').replace('_', ' ')})`;
    default:
      return action;
  }
}

export async function buildPackage(
  ctx: Ctx,
  deps: { audit: AuditService },
  node: NodeRecord,
  options: PackageOptions = {},
): Promise<DecisionPackageView> {
  const edges = await edgesOf(ctx.db, node.id);
  const others = new Map(
    (
      await findNodes(
        ctx.db,
        edges.map((e) => (e.fromNodeId === node.id ? e.toNodeId : e.fromNodeId)),
      )
    ).map((n) => [n.id, n]),
  );
  const groups: Record<Group, GraphNodeView[]> = {
    decidedBy: [],
    evidence: [],
    constraints: [],
    conditions: [],
    alternatives: [],
    consulted: [],
    notified: [],
    supersedes: [],
    supersededBy: [],
  };
  const related: DecisionPackageView['related'] = [];
  for (const edge of edges) {
    const direction = edge.fromNodeId === node.id ? 'out' : 'in';
    const other = others.get(direction === 'out' ? edge.toNodeId : edge.fromNodeId);
    if (!other) continue;
    const group = groupOf(edge, direction, other);
    if (group) groups[group].push(toNodeView(other));
    else related.push({ ...toNodeView(other), relation: edge.type, direction });
  }
  const history = await deps.audit.history(
    ctx,
    { type: 'graph_node', id: node.id, readCapability: 'decisions:read' },
    options.historyLimit ?? 50,
  );
  return {
    node: toNodeView(node),
    ...groups,
    related,
    edges: edges.map(toEdgeView),
    history: history.map((h) => ({
      id: String(h.id),
      action: h.action,
      summary: summarize(h.action, h.details),
      actor: h.actorLabel ?? h.actorType,
      at: h.createdAt.toISOString(),
      details: h.details,
    })),
  };
}
