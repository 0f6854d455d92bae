/** The decision graph in the public API v1 (scopes graph:read / graph:write). */
import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, IdParam, jsonBody, jsonOk } from '../../lib/openapi';
import { requireCapability } from '../../middleware/rbac';
import { V1_SECURITY } from '../v1/v1.schemas';
import { DECISIONS_READ, DECISIONS_WRITE } from './graph.guard';
import {
  CaptureDecisionInput,
  Connections,
  ConnectionsQuery,
  CreateEdgeInput,
  CreateNodeInput,
  DecisionPackage,
  EdgePage,
  GraphEdge,
  GraphNode,
  ListEdgesQuery,
  ListNodesQuery,
  NodePage,
  Subgraph,
  UpdateNodeInput,
} from './graph.schemas';

const tags = ['v1 decisions'];
const read = [requireCapability(DECISIONS_READ)];
const write = [requireCapability(DECISIONS_WRITE)];
const Deleted = { description: 'Deleted' };

export const listNodes = createRoute({
  method: 'get',
  path: '/v1/graph/nodes',
  tags,
  summary: 'List or search nodes (scope graph:read): filters, `q` for words and meaning, cursor pagination',
  security: V1_SECURITY,
  middleware: read,
  request: { query: ListNodesQuery },
  responses: { 200: jsonOk(NodePage, 'A page of nodes'), ...errorResponses(401, 403, 422, 429) },
});

export const createNode = createRoute({
  method: 'post',
  path: '/v1/graph/nodes',
  tags,
  summary: 'Create one node (scope graph:write)',
  security: V1_SECURITY,
  middleware: write,
  request: { body: jsonBody(CreateNodeInput) },
  responses: { 201: jsonOk(GraphNode, 'The node'), ...errorResponses(401, 403, 422, 429) },
});

export const getNode = createRoute({
  method: 'get',
  path: '/v1/graph/nodes/{id}',
  tags,
  summary: 'One node (scope graph:read)',
  security: V1_SECURITY,
  middleware: read,
  request: { params: IdParam },
  responses: { 200: jsonOk(GraphNode, 'The node'), ...errorResponses(401, 403, 404, 422, 429) },
});

export const updateNode = createRoute({
  method: 'patch',
  path: '/v1/graph/nodes/{id}',
  tags,
  summary: 'Change a node’s title, body, class, status or metadata (scope graph:write)',
  security: V1_SECURITY,
  middleware: write,
  request: { params: IdParam, body: jsonBody(UpdateNodeInput) },
  responses: { 200: jsonOk(GraphNode, 'The node'), ...errorResponses(401, 403, 404, 422, 429) },
});

export const deleteNode = createRoute({
  method: 'delete',
  path: '/v1/graph/nodes/{id}',
  tags,
  summary: 'Delete a node and its edges (scope graph:write)',
  security: V1_SECURITY,
  middleware: write,
  request: { params: IdParam },
  responses: { 204: Deleted, ...errorResponses(401, 403, 404, 422, 429) },
});

export const connections = createRoute({
  method: 'get',
  path: '/v1/graph/nodes/{id}/connections',
  tags,
  summary: 'Nodes within 1–3 hops and the edges among them (scope graph:read)',
  security: V1_SECURITY,
  middleware: read,
  request: { params: IdParam, query: ConnectionsQuery },
  responses: { 200: jsonOk(Connections, 'The neighbourhood'), ...errorResponses(401, 403, 404, 422, 429) },
});

export const nodePackage = createRoute({
  method: 'get',
  path: '/v1/graph/nodes/{id}/package',
  tags,
  summary: 'The decision package: the node with everything linked, and its history (scope graph:read)',
  description: 'Send `Accept: text/markdown` for a readable Markdown document instead of JSON.',
  security: V1_SECURITY,
  middleware: read,
  request: { params: IdParam },
  responses: {
    200: {
      description: 'The package',
      content: {
        'application/json': { schema: DecisionPackage },
        'text/markdown': { schema: z.string() },
      },
    },
    ...errorResponses(401, 403, 404, 422, 429),
  },
});

export const listEdges = createRoute({
  method: 'get',
  path: '/v1/graph/edges',
  tags,
  summary: 'List edges, optionally of one node or type (scope graph:read); cursor pagination',
  security: V1_SECURITY,
  middleware: read,
  request: { query: ListEdgesQuery },
  responses: { 200: jsonOk(EdgePage, 'A page of edges'), ...errorResponses(401, 403, 422, 429) },
});

export const createEdge = createRoute({
  method: 'post',
  path: '/v1/graph/edges',
  tags,
  summary: 'Link two nodes (scope graph:write); `supersedes` marks the target decision superseded',
  security: V1_SECURITY,
  middleware: write,
  request: { body: jsonBody(CreateEdgeInput) },
  responses: { 201: jsonOk(GraphEdge, 'The edge'), ...errorResponses(401, 403, 409, 422, 429) },
});

export const deleteEdge = createRoute({
  method: 'delete',
  path: '/v1/graph/edges/{id}',
  tags,
  summary: 'Remove an edge (scope graph:write)',
  security: V1_SECURITY,
  middleware: write,
  request: { params: IdParam },
  responses: { 204: Deleted, ...errorResponses(401, 403, 404, 422, 429) },
});

export const captureDecision = createRoute({
  method: 'post',
  path: '/v1/graph/decisions',
  tags,
  summary: 'Capture a decision with its evidence, alternatives and people in one call (scope graph:write)',
  description:
    'Writes the whole subgraph in one transaction. People are matched to existing person nodes by e-mail or name (case-insensitive). Decisions listed in `supersedes` become superseded.',
  security: V1_SECURITY,
  middleware: write,
  request: { body: jsonBody(CaptureDecisionInput) },
  responses: { 201: jsonOk(Subgraph, 'The captured subgraph'), ...errorResponses(401, 403, 422, 429) },
});
