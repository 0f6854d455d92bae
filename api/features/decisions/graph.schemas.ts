/** The decision graph's contract: node/edge views and every input, shared by REST, MCP tools and the UI. */
import { z } from '@hono/zod-openapi';
import { EDGE_TYPES, NODE_STATUSES, NODE_TYPES } from '../../../db/schema/graph';

export { EDGE_TYPES, NODE_STATUSES, NODE_TYPES };

const MAX_METADATA_CHARS = 16_000;

const Id = z.uuid({ error: 'must be a node id' });
const Title = z.string().trim().min(1, 'is required').max(500);
const Body = z.string().max(20_000);
const ClassName = z.string().trim().min(1).max(100);
export const Metadata = z
  .record(z.string().max(200), z.unknown())
  .refine((m) => JSON.stringify(m).length <= MAX_METADATA_CHARS, {
    message: `is too large (at most ${MAX_METADATA_CHARS} characters as JSON)`,
  })
  .openapi({ description: 'Free JSON (at most 16,000 characters)', example: { meeting: '2026-11-12' } });

export const NodeType = z.enum(NODE_TYPES);
export const NodeStatus = z.enum(NODE_STATUSES);
export const EdgeType = z.enum(EDGE_TYPES);

/** A person by name, or by name and e-mail; matched case-insensitively to an existing person node. */
export const PersonRef = z
  .union([
    z.string().trim().min(1, 'is required').max(200),
    z.object({
      name: z.string().trim().min(1, 'is required').max(200),
      email: z.email().max(320).optional(),
    }),
  ])
  .openapi('GraphPersonRef', { example: { name: 'Dana Whitfield', email: 'dana@district.example' } });

/** A linked item (evidence, constraint, condition, alternative): a title, or a title with detail. */
export const ItemRef = z
  .union([Title, z.object({ title: Title, body: Body.optional(), metadata: Metadata.optional() })])
  .openapi('GraphItemRef', { example: 'Survey: 71% of families prefer a later start' });

const items = (description: string) => z.array(ItemRef).max(50).optional().openapi({ description });
const people = (description: string) => z.array(PersonRef).max(50).optional().openapi({ description });

export const CaptureDecisionInput = z
  .object({
    decision: Title.openapi({ description: 'What was decided (the title)' }),
    decidedBy: z
      .union([PersonRef, z.array(PersonRef).min(1).max(10)])
      .openapi({ description: 'Who decided: a person or body, or several' }),
    reasoning: Body.optional().openapi({ description: 'Why: the reasoning, in prose' }),
    class: ClassName.optional().openapi({ description: 'A label such as budget or curriculum' }),
    status: z
      .enum(['proposed', 'accepted', 'rejected'])
      .optional()
      .openapi({ description: 'Default accepted' }),
    evidence: items('Facts that support the decision'),
    constraints: items('Limits the decision had to respect'),
    conditions: items('Conditions under which it holds or is reviewed'),
    alternatives_considered: items('Options considered and not chosen'),
    consulted: people('People consulted before deciding'),
    notified: people('People told afterwards'),
    supersedes: z
      .array(Id)
      .max(20)
      .optional()
      .openapi({ description: 'Ids of earlier decisions this one replaces (they become superseded)' }),
    relatedTo: z.array(Id).max(50).optional().openapi({ description: 'Ids of related nodes' }),
    agentId: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: 'The AI agent that captured it' }),
    metadata: Metadata.optional(),
  })
  .openapi('CaptureDecision', {
    example: {
      decision: 'Move the high-school start time to 8:45 from next school year',
      decidedBy: 'School Board',
      reasoning: 'Adolescent sleep research and our own attendance data favour a later start.',
      evidence: ['AAP policy statement on school start times', 'Attendance: first period 12% lower'],
      alternatives_considered: ['Keep 7:50', 'Stagger by grade'],
      consulted: [{ name: 'Dana Whitfield', email: 'dana@district.example' }],
    },
  });

export const CreateNodeInput = z
  .object({
    type: NodeType,
    title: Title,
    body: Body.optional(),
    class: ClassName.optional(),
    status: NodeStatus.optional(),
    metadata: Metadata.optional(),
    agentId: z.string().trim().min(1).max(200).optional(),
  })
  .openapi('CreateGraphNode', { example: { type: 'topic', title: 'School start times' } });

export const UpdateNodeInput = z
  .object({
    title: Title.optional(),
    body: Body.optional(),
    class: ClassName.nullable().optional(),
    status: NodeStatus.nullable().optional(),
    metadata: Metadata.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'change at least one field' })
  .openapi('UpdateGraphNode', { example: { status: 'rejected' } });

export const CreateEdgeInput = z
  .object({
    fromNodeId: Id,
    toNodeId: Id,
    type: EdgeType,
    metadata: Metadata.optional(),
  })
  .openapi('CreateGraphEdge', {
    example: {
      fromNodeId: '0b7d9c1e-6c2f-4a8e-9a53-2b1f0f1c9d11',
      toNodeId: '7f0b2d2a-0d58-4a43-8d6c-0c6f4e7f1a20',
      type: 'relates_to',
    },
  });

const Limit = z.coerce.number().int().min(1).max(100).default(20);
const Cursor = z.string().max(500).optional().openapi({ description: '`nextCursor` of the previous page' });
const DateBound = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const ListNodesQuery = z.object({
  q: z.string().max(500).optional().openapi({
    description: 'Search by words and by meaning (full text fused with semantic similarity)',
  }),
  type: NodeType.optional(),
  class: ClassName.optional(),
  status: NodeStatus.optional(),
  since: DateBound.optional().openapi({ description: 'Created at or after (ISO date or date-time)' }),
  until: DateBound.optional().openapi({ description: 'Created before (ISO date or date-time)' }),
  person: z.string().trim().min(1).max(320).optional().openapi({
    description: 'Only nodes linked to this person (node id, name or e-mail)',
  }),
  limit: Limit,
  cursor: Cursor,
});

export const ListEdgesQuery = z.object({
  nodeId: Id.optional().openapi({ description: 'Edges touching this node (either end)' }),
  type: EdgeType.optional(),
  limit: Limit,
  cursor: Cursor,
});

export const ConnectionsQuery = z.object({
  depth: z.coerce.number().int().min(1).max(3).default(1).openapi({ description: 'How many hops (1–3)' }),
});

export const CreatedBy = z.object({
  userId: z.uuid().nullable(),
  apiKeyId: z.uuid().nullable(),
  oauthClientId: z.string().nullable(),
  agentId: z.string().nullable(),
  label: z.string(),
});

export const GraphNode = z
  .object({
    id: z.uuid(),
    type: NodeType,
    class: z.string().nullable(),
    status: NodeStatus.nullable(),
    title: z.string(),
    body: z.string(),
    metadata: z.record(z.string(), z.unknown()),
    createdBy: CreatedBy,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('GraphNode');
export type GraphNodeView = z.infer<typeof GraphNode>;

export const GraphEdge = z
  .object({
    id: z.uuid(),
    fromNodeId: z.uuid(),
    toNodeId: z.uuid(),
    type: EdgeType,
    metadata: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  })
  .openapi('GraphEdge');
export type GraphEdgeView = z.infer<typeof GraphEdge>;

export const SearchHit = GraphNode.extend({
  score: z.number().optional().openapi({ description: 'Fused rank score (only when searching)' }),
  matchedBy: z
    .array(z.enum(['text', 'semantic']))
    .optional()
    .openapi({ description: 'Which searches found it' }),
}).openapi('GraphSearchHit');
export type SearchHitView = z.infer<typeof SearchHit>;

export const NodePage = z
  .object({
    items: z.array(SearchHit),
    nextCursor: z.string().nullable(),
    embedder: z.string().optional().openapi({ description: 'The embedder used for semantic search' }),
  })
  .openapi('GraphNodePage');

export const EdgePage = z
  .object({ items: z.array(GraphEdge), nextCursor: z.string().nullable() })
  .openapi('GraphEdgePage');

export const Subgraph = z
  .object({
    decision: GraphNode,
    nodes: z.array(GraphNode).openapi({ description: 'Every node of the captured subgraph' }),
    edges: z.array(GraphEdge),
  })
  .openapi('DecisionSubgraph');

export const Connections = z
  .object({
    root: z.uuid(),
    depth: z.number().int(),
    nodes: z.array(GraphNode.extend({ distance: z.number().int() })),
    edges: z.array(GraphEdge),
    truncated: z.boolean(),
  })
  .openapi('GraphConnections');
export type ConnectionsView = z.infer<typeof Connections>;

export const HistoryEntry = z.object({
  id: z.string(),
  action: z.string(),
  summary: z.string().openapi({ description: 'The change in words' }),
  actor: z.string(),
  at: z.string(),
  details: z.record(z.string(), z.unknown()),
});

export const DecisionPackage = z
  .object({
    node: GraphNode,
    decidedBy: z.array(GraphNode),
    evidence: z.array(GraphNode),
    constraints: z.array(GraphNode),
    conditions: z.array(GraphNode),
    alternatives: z.array(GraphNode),
    consulted: z.array(GraphNode),
    notified: z.array(GraphNode),
    supersedes: z.array(GraphNode),
    supersededBy: z.array(GraphNode),
    related: z.array(GraphNode.extend({ relation: EdgeType, direction: z.enum(['out', 'in']) })),
    edges: z.array(GraphEdge),
    history: z.array(HistoryEntry),
  })
  .openapi('DecisionPackage');
export type DecisionPackageView = z.infer<typeof DecisionPackage>;
