/**
 * The decision log: a typed graph. A decision node is linked to the people who decided, were consulted or
 * notified, its evidence, constraints, conditions and the alternatives considered, and to other decisions it
 * supersedes or relates to (docs/decisions/014-decision-graph-and-search.md).
 *
 * Search: a generated tsvector ('simple': no stemming, any language) with GIN, and an embedding whose
 * dimension varies with the embedder (the built-in lexical one has 384, provider models more). The column is
 * an untyped `vector` plus `embedding_dims`; the custom migration adds one HNSW expression index per
 * supported dimension, partial `WHERE embedding_dims = N`, which queries hit by casting to `vector(N)`.
 */
import { type SQL, sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { apiKeys } from './api-keys';
import { anyVector, tsvector } from './columns';
import { users } from './identity';

export const NODE_TYPES = [
  'decision',
  'evidence',
  'constraint',
  'condition',
  'alternative',
  'person',
  'topic',
  'document',
  'outcome',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];
export const NODE_STATUSES = ['proposed', 'accepted', 'superseded', 'rejected'] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];
export const EDGE_TYPES = [
  'supersedes',
  'relates_to',
  'depends_on',
  'supports',
  'contradicts',
  'considered',
  'decided_by',
  'consulted',
  'notified',
] as const;
export type EdgeType = (typeof EDGE_TYPES)[number];

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export const graphNodes = pgTable(
  'graph_nodes',
  {
    id: uuid().primaryKey().defaultRandom(),
    type: text({ enum: NODE_TYPES }).notNull(),
    /** A free label the organisation chooses (e.g. `budget`, `curriculum`, `staffing`). */
    class: text(),
    /** Lifecycle of decisions (and alternatives); null for people, evidence and the like. */
    status: text({ enum: NODE_STATUSES }),
    title: text().notNull(),
    body: text().notNull().default(''),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** Who wrote it: the person (also behind a key or token), the key, the OAuth client, an agent's own id. */
    createdByUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdByApiKeyId: uuid().references(() => apiKeys.id, { onDelete: 'set null' }),
    createdByOauthClientId: text(),
    createdByAgentId: text(),
    createdByLabel: text().notNull().default(''),
    embedding: anyVector(),
    embeddingDims: integer(),
    /** Which embedder wrote the vector (`lexical` or a model id): vectors of different models never mix. */
    embeddingModel: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    search: tsvector().generatedAlwaysAs(
      (): SQL =>
        sql`setweight(to_tsvector('simple', coalesce("title", '')), 'A') || setweight(to_tsvector('simple', coalesce("body", '')), 'B')`,
    ),
  },
  (t) => [
    index('graph_nodes_type_recent_idx').on(t.type, t.createdAt),
    index('graph_nodes_recent_idx').on(t.createdAt, t.id),
    index('graph_nodes_search_idx').using('gin', t.search),
    check('graph_nodes_type_ck', sql`${t.type} in (${inList(NODE_TYPES)})`),
    check('graph_nodes_status_ck', sql`${t.status} is null or ${t.status} in (${inList(NODE_STATUSES)})`),
    check(
      'graph_nodes_embedding_ck',
      sql`(${t.embedding} is null) = (${t.embeddingDims} is null) and (${t.embedding} is null or vector_dims(${t.embedding}) = ${t.embeddingDims})`,
    ),
  ],
);

export const graphEdges = pgTable(
  'graph_edges',
  {
    id: uuid().primaryKey().defaultRandom(),
    fromNodeId: uuid()
      .notNull()
      .references(() => graphNodes.id, { onDelete: 'cascade' }),
    toNodeId: uuid()
      .notNull()
      .references(() => graphNodes.id, { onDelete: 'cascade' }),
    type: text({ enum: EDGE_TYPES }).notNull(),
    metadata: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdByUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('graph_edges_from_to_type_uq').on(t.fromNodeId, t.toNodeId, t.type),
    index('graph_edges_to_idx').on(t.toNodeId, t.type),
    index('graph_edges_recent_idx').on(t.createdAt, t.id),
    check('graph_edges_no_self_loop_ck', sql`${t.fromNodeId} <> ${t.toNodeId}`),
    check('graph_edges_type_ck', sql`${t.type} in (${inList(EDGE_TYPES)})`),
  ],
);
