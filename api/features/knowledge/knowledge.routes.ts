/** Knowledge repositories in the public API v1 (API key, OAuth token or the browser session). */
import { createRoute, z } from '@hono/zod-openapi';
import { ErrorResponse, errorResponses, IdParam, jsonBody, jsonOk } from '../../lib/openapi';
import { requireCapability } from '../../middleware/rbac';
import { V1_SECURITY } from '../v1/v1.schemas';
import {
  AddItemJson,
  ChangeEmbeddingInput,
  CreateRepositoryInput,
  ItemAccepted,
  ItemView,
  RepositoryView,
  SearchQuery,
  SearchResponse,
  UpdateAccessInput,
} from './knowledge.schemas';

const tags = ['v1 · Knowledge'];
const read = [requireCapability('knowledge:use')];
const write = [requireCapability('knowledge:manage')];
const ItemParams = IdParam.extend({
  itemId: z.uuid({ error: 'must be an id' }).openapi({ param: { name: 'itemId', in: 'path' } }),
});
const storage = { 503: jsonOk(ErrorResponse, 'File storage (S3) is unavailable (unavailable:storage)') };

export const list = createRoute({
  method: 'get',
  path: '/v1/repositories',
  tags,
  summary: 'Knowledge repositories you may read (scope knowledge:read)',
  security: V1_SECURITY,
  middleware: read,
  responses: {
    200: jsonOk(z.object({ repositories: z.array(RepositoryView) }), 'Readable repositories'),
    ...errorResponses(401, 403, 429),
  },
});

export const create = createRoute({
  method: 'post',
  path: '/v1/repositories',
  tags,
  summary: 'Create a repository (scope knowledge:write); private to you unless visibility says otherwise',
  security: V1_SECURITY,
  middleware: write,
  request: { body: jsonBody(CreateRepositoryInput) },
  responses: { 201: jsonOk(RepositoryView, 'Created'), ...errorResponses(401, 403, 422, 429) },
});

export const getOne = createRoute({
  method: 'get',
  path: '/v1/repositories/{id}',
  tags,
  summary: 'One repository (404 when you may not read it)',
  security: V1_SECURITY,
  middleware: read,
  request: { params: IdParam },
  responses: { 200: jsonOk(RepositoryView, 'The repository'), ...errorResponses(401, 403, 404, 422, 429) },
});

export const remove = createRoute({
  method: 'delete',
  path: '/v1/repositories/{id}',
  tags,
  summary: 'Delete a repository with its items and stored files (owner or administrator)',
  security: V1_SECURITY,
  middleware: write,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404, 422, 429), ...storage },
});

export const setAccess = createRoute({
  method: 'put',
  path: '/v1/repositories/{id}/access',
  tags,
  summary: 'Who may read the repository: private, named roles, named users, or everyone',
  security: V1_SECURITY,
  middleware: write,
  request: { params: IdParam, body: jsonBody(UpdateAccessInput) },
  responses: { 200: jsonOk(RepositoryView, 'Updated'), ...errorResponses(401, 403, 404, 422, 429) },
});

export const setEmbeddingModel = createRoute({
  method: 'put',
  path: '/v1/repositories/{id}/embedding-model',
  tags,
  summary:
    'Change the embedding model: re-embeds every item in the background while the current index answers',
  description:
    'Answers 202 at once with `reembedding` set. Each item is embedded again into a new generation with the new model; searches keep using the current model and generations until every item is done, then one transaction switches the model and publishes them all. If an item fails, the change is abandoned (the current index stays; `reembedError` says why). Choosing the current model again abandons a change under way.',
  security: V1_SECURITY,
  middleware: write,
  request: { params: IdParam, body: jsonBody(ChangeEmbeddingInput) },
  responses: { 202: jsonOk(RepositoryView, 'Re-embedding'), ...errorResponses(401, 403, 404, 422, 429) },
});

export const listItems = createRoute({
  method: 'get',
  path: '/v1/repositories/{id}/items',
  tags,
  summary: 'Items of a repository with their indexing status and progress, newest first',
  security: V1_SECURITY,
  middleware: read,
  request: { params: IdParam },
  responses: {
    200: jsonOk(z.object({ items: z.array(ItemView) }), 'Items'),
    ...errorResponses(401, 403, 404, 422, 429),
  },
});

export const addItem = createRoute({
  method: 'post',
  path: '/v1/repositories/{id}/items',
  tags,
  summary: 'Add a source: a file (multipart `file`), a URL (`{ url }`) or pasted text (`{ title, text }`)',
  description:
    'Answers 202 at once; indexing runs in the background (poll the item). Files: PDF, DOCX, TXT, MD, CSV, JSON and images (OCR), type sniffed from the content, 20 MB at most. URLs: http(s) only, fetched now with a 15 s timeout and a 20 MB cap; private, loopback and link-local targets are refused unless an administrator allows the host (setting knowledge.url_allowed_hosts). The same content added again answers the existing item with `duplicate: true`.',
  security: V1_SECURITY,
  middleware: write,
  request: {
    params: IdParam,
    body: {
      content: {
        'application/json': { schema: AddItemJson },
        'multipart/form-data': {
          schema: z.object({ file: z.any().openapi({ type: 'string', format: 'binary' }) }),
        },
      },
    },
  },
  responses: {
    202: jsonOk(ItemAccepted, 'Accepted for indexing'),
    ...errorResponses(401, 403, 404, 415, 422, 429),
    413: jsonOk(ErrorResponse, 'The file is larger than its type allows'),
    ...storage,
  },
});

export const getItem = createRoute({
  method: 'get',
  path: '/v1/repositories/{id}/items/{itemId}',
  tags,
  summary: 'One item: status queued, processing, ready or failed (with error), stage and progress',
  security: V1_SECURITY,
  middleware: read,
  request: { params: ItemParams },
  responses: { 200: jsonOk(ItemView, 'The item'), ...errorResponses(401, 403, 404, 422, 429) },
});

export const itemFile = createRoute({
  method: 'get',
  path: '/v1/repositories/{id}/items/{itemId}/file',
  tags,
  summary: 'The stored original of an item (where a chat citation leads)',
  description:
    'PDF, images and text open in the browser (a PDF at a page with `#page=N`); text formats are sent as text/plain; other types download.',
  security: V1_SECURITY,
  middleware: read,
  request: { params: ItemParams },
  responses: {
    200: { description: 'The file', content: { 'application/octet-stream': { schema: z.any() } } },
    ...errorResponses(401, 403, 404, 422, 429),
    ...storage,
  },
});

export const removeItem = createRoute({
  method: 'delete',
  path: '/v1/repositories/{id}/items/{itemId}',
  tags,
  summary: 'Remove an item, its chunks and its stored original',
  security: V1_SECURITY,
  middleware: write,
  request: { params: ItemParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404, 422, 429), ...storage },
});

export const reindexItem = createRoute({
  method: 'post',
  path: '/v1/repositories/{id}/items/{itemId}/reindex',
  tags,
  summary:
    'Index the item again (retry after a failure); the current index answers until the new one is ready',
  security: V1_SECURITY,
  middleware: write,
  request: { params: ItemParams },
  responses: { 202: jsonOk(ItemView, 'Queued'), ...errorResponses(401, 403, 404, 422, 429) },
});

export const searchRepository = createRoute({
  method: 'get',
  path: '/v1/repositories/{id}/search',
  tags,
  summary: 'Hybrid search (vector + full text, reciprocal rank fusion) in one repository',
  security: V1_SECURITY,
  middleware: read,
  request: { params: IdParam, query: SearchQuery },
  responses: {
    200: jsonOk(SearchResponse, 'Results, best first'),
    ...errorResponses(401, 403, 404, 422, 429),
  },
});

export const searchAll = createRoute({
  method: 'get',
  path: '/v1/search',
  tags,
  summary: 'Hybrid search across every repository you may read',
  security: V1_SECURITY,
  middleware: read,
  request: { query: SearchQuery },
  responses: { 200: jsonOk(SearchResponse, 'Results, best first'), ...errorResponses(401, 403, 422, 429) },
});
