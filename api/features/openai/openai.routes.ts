/**
 * OpenAI-compatible endpoints: point any OpenAI SDK at `APP_URL/api/v1` with an `sk-…` key. Errors here use
 * OpenAI's shape (openai.errors.ts), not ours.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { requireUser } from '../../middleware/rbac';
import { PageQuery, V1_SECURITY } from '../v1/v1.schemas';
import { OpenAiError } from './openai.errors';
import {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  ModelList,
  ModelObject,
} from './openai.schemas';

const tags = ['v1 · OpenAI-compatible'];

const ERROR_TEXT: Record<number, string> = {
  400: 'Malformed request (invalid_request_error)',
  401: 'Missing, unknown, revoked or expired key (authentication_error, code invalid_api_key)',
  403: 'The key lacks the scope or the owner the capability (permission_error)',
  404: 'Unknown model or not yours (not_found_error, code model_not_found)',
  413: 'Body too large',
  415: 'Not application/json',
  422: 'Invalid field; `param` names it (invalid_request_error)',
  429: 'Rate limit (rate_limit_error; see Retry-After) or monthly budget used up (insufficient_quota)',
  409: 'The model’s provider is not configured yet (invalid_request_error, code not_configured:provider)',
  502: 'The upstream provider failed (server_error)',
};

function openAiErrors<const C extends number>(...codes: C[]) {
  return Object.fromEntries(
    codes.map((code) => [
      code,
      { description: ERROR_TEXT[code] ?? 'Error', content: { 'application/json': { schema: OpenAiError } } },
    ]),
  ) as Record<C, { description: string; content: { 'application/json': { schema: typeof OpenAiError } } }>;
}

export const listModels = createRoute({
  method: 'get',
  path: '/v1/models',
  tags,
  summary: 'Models you may use (OpenAI list shape; scope models:read)',
  security: V1_SECURITY,
  middleware: [requireUser()],
  request: { query: PageQuery.extend({ limit: PageQuery.shape.limit.default(100) }) },
  responses: {
    200: { description: 'The models', content: { 'application/json': { schema: ModelList } } },
    ...openAiErrors(401, 403, 422, 429),
  },
});

export const getModel = createRoute({
  method: 'get',
  path: '/v1/models/{model}',
  tags,
  summary: 'One of your models (scope models:read)',
  security: V1_SECURITY,
  middleware: [requireUser()],
  request: {
    params: z.object({
      model: z
        .string()
        .min(1)
        .max(300)
        .openapi({ param: { name: 'model', in: 'path' }, example: 'gpt-4o-mini' }),
    }),
  },
  responses: {
    200: { description: 'The model', content: { 'application/json': { schema: ModelObject } } },
    ...openAiErrors(401, 403, 404, 422, 429),
  },
});

export const chatCompletions = createRoute({
  method: 'post',
  path: '/v1/chat/completions',
  tags,
  summary: 'Chat completion, streamed (SSE) or not (scope chat)',
  description: [
    'OpenAI Chat Completions over our provider factory, permissions, budgets and usage accounting (surface',
    '`api`). With `stream: true` the answer is `text/event-stream` of `chat.completion.chunk` objects, a final',
    'chunk carrying `usage`, then `data: [DONE]`. Errors after the stream started arrive as an `error` event.',
  ].join('\n'),
  security: V1_SECURITY,
  middleware: [requireUser()],
  request: {
    body: { required: true, content: { 'application/json': { schema: ChatCompletionRequest } } },
  },
  responses: {
    200: {
      description: 'The completion (JSON), or its chunks (SSE) when stream is true',
      content: {
        'application/json': { schema: ChatCompletion },
        'text/event-stream': { schema: ChatCompletionChunk },
      },
    },
    ...openAiErrors(400, 401, 403, 404, 409, 413, 415, 422, 429, 502),
  },
});
