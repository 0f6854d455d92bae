/**
 * Knowledge repositories: documents people add (uploads, URLs, pasted text), cut into chunks that are
 * searched by vector (pgvector, HNSW) and full text (generated tsvector, GIN) at once.
 *
 * - Who may read a repository: its owner, administrators, and by `visibility` — `everyone` (every holder
 *   of knowledge:use), `roles` / `users` (rows in resource_grants, type 'repository'), `private` (owner
 *   only). The check is written into the search SQL (knowledge.repo.ts), never filtered afterwards.
 * - Generations: an item is (re)indexed into `generation`; search reads only chunks whose generation equals
 *   the item's `published_generation`, and publishing is one UPDATE, so a half-indexed item is never seen.
 * - Vectors of every dimension share one untyped `vector` column with `dims` beside it; the HNSW indexes are
 *   partial expression indexes per supported dimension (custom migration; docs/decisions/017-knowledge-vectors-and-pipeline.md).
 */
import { type SQL, sql } from 'drizzle-orm';
import {
  bigint,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './identity';
import { aiModels } from './models';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const regconfig = customType<{ data: string }>({ dataType: () => 'regconfig' });
/** pgvector without a fixed dimension: repositories with different embedding models share the table. */
const anyVector = customType<{ data: string; driverData: string }>({ dataType: () => 'vector' });

export const REPOSITORY_VISIBILITIES = ['private', 'roles', 'users', 'everyone'] as const;
export type RepositoryVisibility = (typeof REPOSITORY_VISIBILITIES)[number];
export const ITEM_SOURCES = ['upload', 'url', 'text'] as const;
export type ItemSource = (typeof ITEM_SOURCES)[number];
export const ITEM_STATUSES = ['queued', 'processing', 'ready', 'failed'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
/** What the pipeline is doing now (the UI shows it with `progress_done` / `progress_total`). */
export const ITEM_STAGES = [
  'queued',
  'extracting',
  'ocr',
  'chunking',
  'embedding',
  /** Embedded with the repository's new model; published when every item is (the swap, docs/decisions/024). */
  'waiting',
  'ready',
  'failed',
] as const;
export type ItemStage = (typeof ITEM_STAGES)[number];

/** Where a chunk sits in its source; `ocr` names the engine when the text was read from an image. */
export interface ChunkLocation {
  page?: number;
  sheet?: string;
  slide?: number;
  heading?: string;
  ocr?: string;
}

export const knowledgeRepositories = pgTable(
  'knowledge_repositories',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    description: text().notNull().default(''),
    ownerId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    visibility: text({ enum: REPOSITORY_VISIBILITIES }).notNull().default('private'),
    /** A registry model of kind embedding; null = the built-in lexical embedder (api/ai/embeddings/lexical.ts). */
    embeddingModelId: uuid().references(() => aiModels.id, { onDelete: 'restrict' }),
    embeddingDimensions: integer().notNull().default(384),
    /**
     * While the embedding model changes: the new one (modelId null = lexical). Items re-embed into new
     * generations that wait; the old ones keep serving until every item is done, then one transaction swaps
     * the model and publishes them all (a failure abandons the change, see `reembedError`).
     */
    pendingEmbedding: jsonb().$type<{ modelId: string | null; dimensions: number }>(),
    /** Why the last change of embedding model was abandoned. */
    reembedError: text(),
    /** Full-text configuration (language): 'english', 'simple', 'spanish' … */
    textSearchConfig: regconfig().notNull().default(sql`'english'::regconfig`),
    /**
     * Set for the private repository of one conversation's large attachments (the conversation's id, which
     * may not exist yet when the file is uploaded): readable by its owner only, left out of listings, and
     * deleted with the conversation or by the chat-knowledge expiry job (docs/decisions/024).
     */
    chatId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('knowledge_repositories_owner_idx').on(t.ownerId),
    uniqueIndex('knowledge_repositories_chat_uq').on(t.ownerId, t.chatId),
    check(
      'knowledge_repositories_visibility_ck',
      sql`${t.visibility} in ('private', 'roles', 'users', 'everyone')`,
    ),
    check('knowledge_repositories_dims_ck', sql`${t.embeddingDimensions} between 1 and 16000`),
  ],
);

export const knowledgeItems = pgTable(
  'knowledge_items',
  {
    id: uuid().primaryKey().defaultRandom(),
    repositoryId: uuid()
      .notNull()
      .references(() => knowledgeRepositories.id, { onDelete: 'cascade' }),
    sourceKind: text({ enum: ITEM_SOURCES }).notNull(),
    title: text().notNull(),
    sourceUrl: text(),
    filename: text(),
    mediaType: text(),
    storage: text({ enum: ['local', 's3'] }),
    storageKey: text(),
    /** SHA-256 (hex) of the original bytes: the same content added twice is recognised. */
    sha256: text().notNull(),
    sizeBytes: bigint({ mode: 'number' }).notNull().default(0),
    status: text({ enum: ITEM_STATUSES }).notNull().default('queued'),
    stage: text({ enum: ITEM_STAGES }).notNull().default('queued'),
    progressDone: integer().notNull().default(0),
    progressTotal: integer().notNull().default(0),
    error: text(),
    /** The generation being built (bumped by re-index); chunks carry it. */
    generation: integer().notNull().default(1),
    /** The generation search reads; null until the first publish. */
    publishedGeneration: integer(),
    /** What was read: pages, pages read by OCR and the engine, chunk count, embedding model. */
    stats: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('knowledge_items_repository_sha_uq').on(t.repositoryId, t.sha256),
    index('knowledge_items_repository_idx').on(t.repositoryId, t.createdAt),
    index('knowledge_items_status_idx').on(t.status, t.updatedAt),
    check('knowledge_items_source_ck', sql`${t.sourceKind} in ('upload', 'url', 'text')`),
    check('knowledge_items_status_ck', sql`${t.status} in ('queued', 'processing', 'ready', 'failed')`),
  ],
);

export const knowledgeChunks = pgTable(
  'knowledge_chunks',
  {
    id: uuid().primaryKey().defaultRandom(),
    itemId: uuid()
      .notNull()
      .references(() => knowledgeItems.id, { onDelete: 'cascade' }),
    /** Denormalised from the item so search filters by repository without a join first. */
    repositoryId: uuid().notNull(),
    generation: integer().notNull(),
    ordinal: integer().notNull(),
    text: text().notNull(),
    location: jsonb().$type<ChunkLocation>().notNull().default({}),
    tokenCount: integer().notNull(),
    textSearchConfig: regconfig().notNull(),
    search: tsvector().generatedAlwaysAs((): SQL => sql`to_tsvector("text_search_config", "text")`),
    /** Null until the embed step reaches this chunk. */
    embedding: anyVector(),
    dims: integer(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One chunk per (item, generation, ordinal): a re-run of a step cannot duplicate chunks.
    unique('knowledge_chunks_item_gen_ordinal_uq').on(t.itemId, t.generation, t.ordinal),
    index('knowledge_chunks_repository_idx').on(t.repositoryId),
    index('knowledge_chunks_search_idx').using('gin', t.search),
  ],
);
