/**
 * Chat as MCP tools: a one-shot completion (`chat`, billed and budget-checked like every model call) and
 * read access to the caller's own conversations (the services /api/v1/conversations uses).
 */
import { z } from 'zod';
import { defineTool } from '../../tools/tool';
import { completeOnce } from './one-shot';

const Message = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string().min(1).max(200_000),
});

export const chatTool = defineTool({
  name: 'chat',
  title: 'Ask a model',
  description:
    'Sends one request to an AI model and returns its answer with token usage. Give `model` (an id from list_models) and either `prompt` (one question) or `messages` (a short exchange, oldest first, ending with the user); `system` sets instructions. Usage counts against your monthly budget. Nothing is saved as a conversation.',
  input: z
    .object({
      model: z.string().min(1).max(300).describe('A model id from list_models'),
      prompt: z.string().min(1).max(200_000).optional().describe('The question or instruction'),
      messages: z
        .array(Message)
        .min(1)
        .max(100)
        .optional()
        .describe('Instead of prompt: the exchange so far'),
      system: z.string().max(20_000).optional().describe('Instructions for the model'),
      maxOutputTokens: z.number().int().min(1).max(32_000).optional(),
    })
    .refine((v) => (v.prompt === undefined) !== (v.messages === undefined), {
      error: 'give either prompt or messages (one of them)',
      path: ['prompt'],
    }),
  output: z.object({
    model: z.string(),
    text: z.string(),
    finishReason: z.string(),
    usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), totalTokens: z.number() }),
    costUsd: z.string().describe('What this call cost, in US dollars'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  scopes: ['mcp:write'],
  capability: 'chat:use',
  handler: (input, { ctx, services, signal }) =>
    completeOnce(ctx, services, {
      model: input.model,
      system: input.system,
      messages: input.messages ?? [{ role: 'user', content: input.prompt! }],
      maxOutputTokens: input.maxOutputTokens,
      signal,
    }),
});

const ConversationSummary = z.object({
  id: z.string(),
  title: z.string(),
  pinned: z.boolean(),
  archived: z.boolean(),
  messageCount: z.number(),
  lastMessageAt: z.string(),
});

export const listConversationsTool = defineTool({
  name: 'list_conversations',
  title: 'List conversations',
  description:
    'Lists your chat conversations, most recent first (pinned first). `query` searches titles and message text; pass `cursor` from a previous answer for the next page.',
  input: z.object({
    query: z.string().trim().max(200).optional(),
    archived: z.boolean().optional().describe('true: only archived ones'),
    limit: z.number().int().min(1).max(100).default(20),
    cursor: z.string().max(200).optional(),
  }),
  output: z.object({ conversations: z.array(ConversationSummary), nextCursor: z.string().nullable() }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  scopes: ['mcp:read'],
  capability: 'chat:use',
  async handler(input, { ctx, services }) {
    const page = await services.conversations.list(ctx, {
      q: input.query,
      archived: input.archived ? 'true' : 'false',
      limit: input.limit,
      cursor: input.cursor,
    });
    return {
      conversations: page.items.map((c) => ({
        id: c.id,
        title: c.title,
        pinned: c.pinned,
        archived: c.archived,
        messageCount: c.messageCount,
        lastMessageAt: c.lastMessageAt,
      })),
      nextCursor: page.nextCursor,
    };
  },
});

const textOf = (parts: { type: string }[]): string =>
  parts
    .filter(
      (p): p is { type: 'text'; text: string } =>
        p.type === 'text' && typeof (p as { text?: unknown }).text === 'string',
    )
    .map((p) => p.text)
    .join('');

export const getConversationTool = defineTool({
  name: 'get_conversation',
  title: 'Read a conversation',
  description:
    'Returns one of your conversations (id from list_conversations) with the messages of its current branch as plain text, oldest first.',
  input: z.object({ id: z.uuid('must be a conversation id') }),
  output: z.object({
    conversation: ConversationSummary.extend({ systemPrompt: z.string().nullable(), createdAt: z.string() }),
    messages: z.array(
      z.object({ id: z.string(), role: z.string(), text: z.string(), createdAt: z.string() }),
    ),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  scopes: ['mcp:read'],
  capability: 'chat:use',
  async handler(input, { ctx, services }) {
    const [c, messages] = await Promise.all([
      services.conversations.get(ctx, input.id),
      services.conversations.messages(ctx, input.id),
    ]);
    return {
      conversation: {
        id: c.id,
        title: c.title,
        pinned: c.pinned,
        archived: c.archived,
        messageCount: c.messageCount,
        lastMessageAt: c.lastMessageAt,
        systemPrompt: c.systemPrompt,
        createdAt: c.createdAt,
      },
      messages: messages.branch.map((m) => ({
        id: m.id,
        role: m.role,
        text: textOf(m.parts),
        createdAt: m.metadata.createdAt,
      })),
    };
  },
});
