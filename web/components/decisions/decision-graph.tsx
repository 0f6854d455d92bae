/**
 * The interactive graph around a node (@xyflow/react): pan by dragging, zoom with the wheel or the
 * controls, click a node to open it. Each node is a link, so Tab reaches it and Enter opens it; the
 * package sections beside the graph list the same nodes for screen-reader users.
 */
import { Link, useNavigate } from '@remix-run/react';
import {
  Background,
  Controls,
  type Edge,
  Handle,
  MarkerType,
  type Node,
  type NodeProps,
  Position,
  ReactFlow,
} from '@xyflow/react';
import { useMemo } from 'react';
import type { ConnectionsView } from '../../../api/features/decisions/graph.schemas';
import { radialLayout } from './graph-layout';
import { EDGE_LABEL, nodeHref, TYPE_LABEL } from './node-meta';

type GraphNodeData = { title: string; type: string; status: string | null; root: boolean; href: string };

const TONE: Record<string, string> = {
  decision: 'border-primary bg-primary-soft text-primary-soft-fg',
  evidence: 'border-border bg-success-soft text-success-soft-fg',
  constraint: 'border-border bg-warning-soft text-warning-soft-fg',
  condition: 'border-border bg-warning-soft text-warning-soft-fg',
  person: 'border-border-strong bg-surface text-fg',
};

function GraphNodeCard({ data }: NodeProps<Node<GraphNodeData>>) {
  return (
    <div
      className={`w-52 rounded-lg border-2 px-3 py-2 text-left shadow-sm ${TONE[data.type] ?? 'border-border bg-surface-muted text-fg'} ${data.root ? 'ring-2 ring-ring' : ''}`}
    >
      <Handle type="target" position={Position.Top} className="!opacity-0" isConnectable={false} />
      <span className="block text-[0.65rem] font-semibold uppercase tracking-wide opacity-80">
        {TYPE_LABEL[data.type] ?? data.type}
        {data.status ? ` · ${data.status}` : ''}
      </span>
      <Link
        to={data.href}
        className="nodrag block text-sm font-medium leading-snug underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-ring"
        data-graph-node={data.title}
      >
        {data.title}
      </Link>
      <Handle type="source" position={Position.Bottom} className="!opacity-0" isConnectable={false} />
    </div>
  );
}

const nodeTypes = { card: GraphNodeCard };

export function DecisionGraph({ graph }: { graph: ConnectionsView }) {
  const navigate = useNavigate();
  const { nodes, edges } = useMemo(() => {
    const at = new Map(radialLayout(graph.nodes).map((p) => [p.id, p]));
    const nodes: Node<GraphNodeData>[] = graph.nodes.map((n) => ({
      id: n.id,
      type: 'card',
      position: { x: at.get(n.id)?.x ?? 0, y: at.get(n.id)?.y ?? 0 },
      data: {
        title: n.title,
        type: n.type,
        status: n.status,
        root: n.id === graph.root,
        href: nodeHref(n.id),
      },
      ariaLabel: `${TYPE_LABEL[n.type] ?? n.type}: ${n.title}`,
    }));
    const edges: Edge[] = graph.edges.map((e) => ({
      id: e.id,
      source: e.fromNodeId,
      target: e.toNodeId,
      label: EDGE_LABEL[e.type] ?? e.type,
      markerEnd: { type: MarkerType.ArrowClosed },
      style: e.type === 'supersedes' ? { strokeDasharray: '6 4' } : undefined,
    }));
    return { nodes, edges };
  }, [graph]);
  return (
    <div
      className="h-[32rem] w-full overflow-hidden rounded-lg border border-border bg-canvas"
      data-testid="decision-graph"
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ padding: 0.2 }}
        minZoom={0.2}
        maxZoom={2}
        nodesDraggable={false}
        nodesConnectable={false}
        nodesFocusable={false}
        edgesFocusable={false}
        elementsSelectable={false}
        onNodeClick={(_event, node) => navigate(node.data.href as string)}
        aria-label="Graph of linked nodes: drag to pan, scroll or use the controls to zoom, choose a node to open it"
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
