/** Rows → API views, and who wrote a node (its provenance) from the caller's actor. */
import type { Actor } from '../../lib/ctx';
import type { EdgeRow, NodeRecord } from './graph.repo';
import type { GraphEdgeView, GraphNodeView } from './graph.schemas';

export const toNodeView = (n: NodeRecord): GraphNodeView => ({
  id: n.id,
  type: n.type,
  class: n.class,
  status: n.status,
  title: n.title,
  body: n.body,
  metadata: n.metadata,
  createdBy: {
    userId: n.createdByUserId,
    apiKeyId: n.createdByApiKeyId,
    oauthClientId: n.createdByOauthClientId,
    agentId: n.createdByAgentId,
    label: n.createdByLabel,
  },
  createdAt: n.createdAt.toISOString(),
  updatedAt: n.updatedAt.toISOString(),
});

export const toEdgeView = (e: EdgeRow): GraphEdgeView => ({
  id: e.id,
  fromNodeId: e.fromNodeId,
  toNodeId: e.toNodeId,
  type: e.type,
  metadata: e.metadata,
  createdAt: e.createdAt.toISOString(),
});

/** The OAuth client behind a token, when the auth layer put one on the actor. */
const oauthClientOf = (actor: Actor): string | null =>
  actor.type === 'oauth' ? (actor.oauthClientId ?? null) : null;

/** The created-by columns for a node written by this actor (and optionally on behalf of an agent). */
export function provenanceOf(actor: Actor, agentId?: string | null) {
  return {
    createdByUserId: actor.id,
    createdByApiKeyId: actor.type === 'api_key' ? (actor.apiKeyId ?? null) : null,
    createdByOauthClientId: oauthClientOf(actor),
    createdByAgentId: agentId ?? null,
    createdByLabel: agentId ? `${agentId} (agent, for ${actor.label})` : actor.label,
  };
}
