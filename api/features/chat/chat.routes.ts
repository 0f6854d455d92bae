/**
 * Chat HTTP contract. POST /api/chat is what `useChat` (AI SDK 6, DefaultChatTransport) posts to; the answer
 * is an AI SDK UI message stream (SSE, header `x-vercel-ai-ui-message-stream: v1`). See
 * docs/decisions/009-chat-streaming-durability.md for the chunk sequence and the stop/disconnect rules.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, jsonBody, jsonOk } from '../../lib/openapi';
import { requireCapability } from '../../middleware/rbac';
import {
  ChatRequest,
  Conversation,
  ConversationPage,
  CreateConversationInput,
  ForkInput,
  ListConversationsQuery,
  MessagesView,
  UpdateConversationInput,
} from './chat.schemas';

const guard = [requireCapability('chat:use')];
const tags = ['Chat'];

const ConversationIdParam = z.object({
  id: z.uuid({ error: 'must be an id' }).openapi({ param: { name: 'id', in: 'path' } }),
});
const MessageIdParam = z.object({
  messageId: z.uuid({ error: 'must be an id' }).openapi({ param: { name: 'messageId', in: 'path' } }),
});

export const stream = createRoute({
  method: 'post',
  path: '/chat',
  tags,
  summary: 'Send a message (or regenerate / edit-and-resend) and stream the answer',
  description: [
    'Body: what useChat sends by default (`id`, `messages`, `trigger`, `messageId`) plus `conversationId`,',
    '`modelId` and (new conversations) `systemPrompt`. Only the last message of `messages` is read: the',
    'history comes from the database (the branch ending at the edited/regenerated message or the current leaf).',
    '',
    'Answer: `text/event-stream` of UI message chunks. `start` carries `messageId` (the assistant message id)',
    'and metadata { conversationId, parentId, userMessageId, modelId, title, status: "streaming" }; `finish`',
    'carries metadata { status, finishReason, usage, costUsd, latencyMs, ttftMs }. On an upstream failure a',
    '`message-metadata` chunk with status "failed" and `error` precedes an `error` chunk; the partial answer is',
    'saved. Closing the connection does NOT stop generation (the answer is saved); use POST /chat/{id}/stop.',
  ].join('\n'),
  middleware: guard,
  request: { body: jsonBody(ChatRequest) },
  responses: {
    200: {
      description: 'AI SDK UI message stream (server-sent events)',
      content: { 'text/event-stream': { schema: z.string() } },
    },
    ...errorResponses(401, 403, 404, 409, 422, 429),
  },
});

export const stop = createRoute({
  method: 'post',
  path: '/chat/{messageId}/stop',
  tags,
  summary: 'Stop generating an answer (aborts the upstream call; the partial answer is saved as stopped)',
  middleware: guard,
  request: { params: MessageIdParam },
  responses: {
    200: jsonOk(
      z.object({
        stopped: z
          .boolean()
          .openapi({ description: 'false when the answer had already finished (nothing to stop)' }),
      }),
      'Stop requested',
    ),
    ...errorResponses(401, 403, 404, 422),
  },
});

export const resume = createRoute({
  method: 'get',
  path: '/chat/{id}/stream',
  tags,
  summary: "useChat's resume endpoint: streams are not resumable, always 204 (reload the messages instead)",
  middleware: guard,
  request: {
    params: z.object({
      id: z
        .string()
        .max(200)
        .openapi({ param: { name: 'id', in: 'path' } }),
    }),
  },
  responses: { 204: { description: 'No stream to resume' }, ...errorResponses(401, 403) },
});

export const list = createRoute({
  method: 'get',
  path: '/conversations',
  tags,
  summary: 'My conversations: pinned first, then most recent; search with q; cursor pagination',
  middleware: guard,
  request: { query: ListConversationsQuery },
  responses: { 200: jsonOk(ConversationPage, 'A page of conversations'), ...errorResponses(401, 403, 422) },
});

export const create = createRoute({
  method: 'post',
  path: '/conversations',
  tags,
  summary: 'Create an empty conversation',
  middleware: guard,
  request: { body: jsonBody(CreateConversationInput) },
  responses: { 201: jsonOk(Conversation, 'Created'), ...errorResponses(401, 403, 404, 422) },
});

export const getOne = createRoute({
  method: 'get',
  path: '/conversations/{id}',
  tags,
  summary: 'One of my conversations',
  middleware: guard,
  request: { params: ConversationIdParam },
  responses: { 200: jsonOk(Conversation, 'The conversation'), ...errorResponses(401, 403, 404, 422) },
});

export const patch = createRoute({
  method: 'patch',
  path: '/conversations/{id}',
  tags,
  summary: 'Rename, pin, archive, change the system prompt or model, or switch branch (currentLeafId)',
  middleware: guard,
  request: { params: ConversationIdParam, body: jsonBody(UpdateConversationInput) },
  responses: { 200: jsonOk(Conversation, 'Updated'), ...errorResponses(401, 403, 404, 422) },
});

export const remove = createRoute({
  method: 'delete',
  path: '/conversations/{id}',
  tags,
  summary: 'Delete a conversation and its messages (usage records stay)',
  middleware: guard,
  request: { params: ConversationIdParam },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404, 422) },
});

export const fork = createRoute({
  method: 'post',
  path: '/conversations/{id}/fork',
  tags,
  summary: 'Copy the branch up to a message into a new conversation',
  middleware: guard,
  request: { params: ConversationIdParam, body: jsonBody(ForkInput) },
  responses: { 201: jsonOk(Conversation, 'The new conversation'), ...errorResponses(401, 403, 404, 422) },
});

export const messages = createRoute({
  method: 'get',
  path: '/conversations/{id}/messages',
  tags,
  summary: 'The whole message tree and the current branch (as useChat UI messages)',
  middleware: guard,
  request: { params: ConversationIdParam },
  responses: { 200: jsonOk(MessagesView, 'Messages'), ...errorResponses(401, 403, 404, 422) },
});
