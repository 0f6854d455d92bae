/** The knowledge contract shared by the service, the REST routes (API v1), the MCP tool and the UI. */
import { z } from '@hono/zod-openapi';
import { ITEM_SOURCES, ITEM_STAGES, ITEM_STATUSES, REPOSITORY_VISIBILITIES } from '../../../db/schema/index';

/** Full-text configurations present in PostgreSQL 15 and later (PGlite runs 18). */
export const TEXT_SEARCH_LANGUAGES = [
  'simple',
  'danish',
  'dutch',
  'english',
  'finnish',
  'french',
  'german',
  'hungarian',
  'italian',
  'norwegian',
  'portuguese',
  'romanian',
  'russian',
  'spanish',
  'swedish',
  'turkish',
] as const;

const Name = z.string().trim().min(1, 'is required').max(200);

export const CreateRepositoryInput = z
  .object({
    name: Name,
    description: z.string().trim().max(2000).optional(),
    visibility: z.enum(REPOSITORY_VISIBILITIES).optional().openapi({
      description:
        'private (owner only, the default), roles / users (those granted), everyone (every holder of knowledge:use)',
    }),
    embeddingModelId: z.uuid().nullable().optional().openapi({
      description: 'An embedding model of the registry; omit or null for the built-in lexical embedder',
    }),
    language: z.enum(TEXT_SEARCH_LANGUAGES).optional().openapi({ description: 'Full-text language' }),
  })
  .openapi('CreateRepository');

export const UpdateAccessInput = z
  .object({
    visibility: z.enum(REPOSITORY_VISIBILITIES),
    roles: z.array(z.string().min(1).max(100)).max(50).default([]),
    userIds: z.array(z.uuid()).max(200).default([]),
  })
  .openapi('RepositoryAccess');

export const RepositoryView = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    visibility: z.enum(REPOSITORY_VISIBILITIES),
    ownerId: z.uuid(),
    embeddingModel: z.object({
      id: z.uuid().nullable(),
      name: z.string().openapi({ description: '"lexical" for the built-in embedder' }),
      dimensions: z.number().int(),
    }),
    language: z.string(),
    access: z.object({ roles: z.array(z.string()), userIds: z.array(z.uuid()) }),
    canManage: z.boolean(),
    itemCount: z.number().int(),
    itemsIndexing: z.number().int().openapi({ description: 'Items still queued or being indexed' }),
    reembedding: z.object({ id: z.uuid().nullable(), dimensions: z.number().int() }).nullable().openapi({
      description:
        'The embedding model being changed to: items re-embed in the background while the current index answers',
    }),
    reembedError: z
      .string()
      .nullable()
      .openapi({ description: 'Why the last change of embedding model was abandoned' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Repository');
export type RepositoryView = z.infer<typeof RepositoryView>;

export const ChangeEmbeddingInput = z
  .object({
    embeddingModelId: z.uuid().nullable().openapi({
      description: 'A registry embedding model, or null for the built-in lexical embedder',
    }),
  })
  .openapi('ChangeEmbeddingModel');

export const ItemView = z
  .object({
    id: z.uuid(),
    repositoryId: z.uuid(),
    title: z.string(),
    sourceKind: z.enum(ITEM_SOURCES),
    sourceUrl: z.string().nullable(),
    filename: z.string().nullable(),
    mediaType: z.string().nullable(),
    size: z.number().int(),
    status: z.enum(ITEM_STATUSES),
    stage: z.enum(ITEM_STAGES),
    progress: z.object({ done: z.number().int(), total: z.number().int() }),
    error: z.string().nullable().openapi({ description: 'Why the item failed (status failed)' }),
    generation: z.number().int(),
    publishedGeneration: z.number().int().nullable(),
    stats: z.record(z.string(), z.unknown()).openapi({
      description: 'What was read: pages, pages read by OCR (and the engine), chunks, embedding model',
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('KnowledgeItem');
export type ItemView = z.infer<typeof ItemView>;

export const ItemAccepted = z
  .object({
    id: z.uuid(),
    status: z.enum(ITEM_STATUSES),
    duplicate: z.boolean().openapi({ description: 'The same content was already in this repository' }),
    item: ItemView,
  })
  .openapi('KnowledgeItemAccepted');

export const AddUrlInput = z.object({ url: z.string().trim().min(1, 'is required').max(2000) });
export type AddUrlInput = z.infer<typeof AddUrlInput>;
export const AddTextInput = z.object({
  title: z.string().trim().min(1, 'is required').max(300),
  text: z.string().min(1, 'is required').max(2_000_000),
});
export type AddTextInput = z.infer<typeof AddTextInput>;
export const AddItemJson = z.union([AddUrlInput, AddTextInput]).openapi('AddKnowledgeItem', {
  description: '`{ url }` to fetch a page or file, or `{ title, text }` for pasted text',
});

export const SearchQuery = z.object({
  q: z.string().trim().min(1, 'is required').max(500),
  limit: z.coerce.number().int().min(1).max(50).default(10),
  type: z.string().max(200).optional().openapi({
    description: 'Comma-separated kinds to keep: pdf, docx, xlsx, pptx, txt, md, csv, json, html, image',
  }),
});
export type SearchInput = z.input<typeof SearchQuery> & { repositoryIds?: string[] };

export const SearchLocation = z
  .object({
    page: z.number().int().optional(),
    sheet: z.string().optional(),
    slide: z.number().int().optional(),
    heading: z.string().optional(),
  })
  .openapi('KnowledgeLocation');

export const SearchResult = z
  .object({
    itemId: z.uuid(),
    repositoryId: z.uuid(),
    title: z.string(),
    location: SearchLocation,
    snippet: z.string().openapi({
      description: 'HTML-escaped text around the match; matched terms wrapped in <mark>…</mark>',
    }),
    score: z.number(),
    readBy: z.string().openapi({ description: '"text" (the document’s own text) or the OCR engine' }),
  })
  .openapi('KnowledgeSearchResult');
export type SearchResult = z.infer<typeof SearchResult>;

export const SearchResponse = z.object({ results: z.array(SearchResult) }).openapi('KnowledgeSearch');
