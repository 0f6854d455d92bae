/**
 * The decision log's tools for agents (MCP lists and calls them from api/tools/registry.ts): search, capture
 * and the neighbourhood of a node. Handlers call the same service as REST, with the caller's Ctx.
 */
import { z } from 'zod';
import { defineTool } from '../../tools/tool';
import { DECISIONS_READ, DECISIONS_WRITE } from './graph.guard';
import { CaptureDecisionInput, Connections, NodePage, NodeStatus, NodeType, Subgraph } from './graph.schemas';

export const searchDecisionsTool = defineTool({
  name: 'search_decisions',
  title: 'Search decisions',
  description:
    'Search the organisation’s decision log by words and by meaning. Returns decisions (and, if nodeType is ' +
    'given, other nodes such as evidence or people), best match first, with id, title, reasoning (body), ' +
    'status and who recorded it. Use get_decision_graph with an id to see what a decision is linked to.',
  input: z.object({
    q: z.string().max(500).optional().describe('What to look for (words or a description)'),
    query: z.string().max(500).optional().describe('Same as q'),
    nodeType: NodeType.optional().describe('Default decision'),
    nodeClass: z.string().max(100).optional().describe('A label such as budget or curriculum'),
    status: NodeStatus.optional(),
    limit: z.number().int().min(1).max(50).optional().describe('Default 10'),
    cursor: z.string().max(500).optional().describe('nextCursor of a previous call'),
  }),
  output: NodePage,
  annotations: { readOnlyHint: true, openWorldHint: false },
  scopes: ['mcp:read', 'graph:read'],
  capability: DECISIONS_READ,
  handler: (input, { ctx, services }) =>
    services.decisions.search(ctx, {
      q: input.q ?? input.query,
      type: input.nodeType ?? 'decision',
      class: input.nodeClass,
      status: input.status,
      limit: input.limit ?? 10,
      cursor: input.cursor,
    }),
});

export const captureDecisionTool = defineTool({
  name: 'capture_decision',
  title: 'Capture a decision',
  description:
    'Record a decision in the decision log with who decided, the reasoning, evidence, constraints, ' +
    'conditions, alternatives considered and who was consulted or notified, in one call. People are given ' +
    'by name, e-mail, "Name <e-mail>" or {name, email} and matched to people already in the log. ' +
    'supersedes lists ids of earlier decisions this one replaces; they are marked superseded.',
  input: CaptureDecisionInput,
  output: Subgraph,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  scopes: ['mcp:write', 'graph:write'],
  capability: DECISIONS_WRITE,
  handler: (input, { ctx, services }) => services.decisions.capture(ctx, input),
});

export const getDecisionGraphTool = defineTool({
  name: 'get_decision_graph',
  title: 'Decision graph around a node',
  description:
    'The nodes linked to a node (a decision, a person, evidence…) within depth hops (1–3), each with its ' +
    'distance, and the typed edges among them (decided_by, consulted, notified, supports, depends_on, ' +
    'considered, supersedes, relates_to, contradicts).',
  input: z.object({
    nodeId: z.uuid().describe('The node to start from'),
    depth: z.number().int().min(1).max(3).optional().describe('Default 1'),
  }),
  output: Connections,
  annotations: { readOnlyHint: true, openWorldHint: false },
  scopes: ['mcp:read', 'graph:read'],
  capability: DECISIONS_READ,
  handler: (input, { ctx, services }) => services.decisions.connections(ctx, input.nodeId, input.depth ?? 1),
});

export const DECISION_TOOLS = [searchDecisionsTool, captureDecisionTool, getDecisionGraphTool];
