import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, jsonOk } from '../../lib/openapi';
import { requireUser } from '../../middleware/rbac';
import { BranchMessage, Conversation, ConversationPage } from '../chat/chat.schemas';
import { Me, PageQuery, V1_SECURITY, V1Health } from './v1.schemas';

export const health = createRoute({
  method: 'get',
  path: '/v1/health',
  tags: ['v1'],
  summary: 'Liveness of the public API (no credentials needed)',
  security: [],
  responses: { 200: jsonOk(V1Health, 'Up') },
});

export const me = createRoute({
  method: 'get',
  path: '/v1/me',
  tags: ['v1'],
  summary: 'Who the credential belongs to, its effective scopes and request budget',
  security: V1_SECURITY,
  middleware: [requireUser()],
  responses: { 200: jsonOk(Me, 'The caller'), ...errorResponses(401, 429) },
});

const ConversationIdParam = z.object({
  id: z.uuid({ error: 'must be an id' }).openapi({ param: { name: 'id', in: 'path' } }),
});

export const V1ConversationDetail = Conversation.extend({
  messages: z.array(BranchMessage).openapi({ description: 'The current branch, oldest first' }),
}).openapi('V1Conversation');

export const listConversations = createRoute({
  method: 'get',
  path: '/v1/conversations',
  tags: ['v1'],
  summary: 'Your conversations, pinned first then most recent (scope chat); cursor pagination',
  security: V1_SECURITY,
  middleware: [requireUser()],
  request: {
    query: PageQuery.extend({
      q: z.string().max(200).optional().openapi({ description: 'Search titles and message text' }),
      archived: z.enum(['true', 'false', 'all']).default('false'),
    }),
  },
  responses: {
    200: jsonOk(ConversationPage, 'A page of conversations'),
    ...errorResponses(401, 403, 422, 429),
  },
});

export const getConversation = createRoute({
  method: 'get',
  path: '/v1/conversations/{id}',
  tags: ['v1'],
  summary: 'One of your conversations with its current branch of messages (scope chat)',
  security: V1_SECURITY,
  middleware: [requireUser()],
  request: { params: ConversationIdParam },
  responses: {
    200: jsonOk(V1ConversationDetail, 'The conversation'),
    ...errorResponses(401, 403, 404, 422, 429),
  },
});
