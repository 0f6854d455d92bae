/**
 * The chat contract shared by the service (validation) and the routes (OpenAPI): the POST /api/chat body
 * (AI SDK 6 `DefaultChatTransport` default body + our fields), stored messages, conversations and the
 * message metadata streamed to `useChat`.
 */
import { z } from '@hono/zod-openapi';

export const MAX_TEXT = 100_000;
export const MAX_REPOSITORIES = 10;

const TextPart = z.object({ type: z.literal('text'), text: z.string().max(MAX_TEXT) });
const FilePart = z.object({
  type: z.literal('file'),
  mediaType: z.string().max(200),
  url: z.string().max(30_000_000),
  filename: z.string().max(500).optional(),
});
/** What a person may send. Assistant parts (reasoning, tools …) only ever come from the server. */
export const UserPart = z.discriminatedUnion('type', [TextPart, FilePart]);

/** A UI message as `useChat` sends it. Only the last one is read; history comes from the database. */
export const IncomingMessage = z
  .object({
    id: z.string().max(200),
    role: z.enum(['system', 'user', 'assistant']),
    parts: z.array(z.object({ type: z.string().max(100) }).passthrough()).max(200),
    metadata: z.unknown().optional(),
  })
  .openapi('IncomingUIMessage');

export const ChatRequest = z
  .object({
    id: z.string().max(200).optional().openapi({
      description:
        "useChat's chat id. When conversationId is absent and this is the id of one of your conversations, it is used; when it is an unused UUID, a new conversation gets this id.",
    }),
    conversationId: z.uuid().optional().openapi({ description: 'Omit (with a fresh id) to start one' }),
    modelId: z.uuid().optional().openapi({
      description: "ai_models.id; required for a new conversation, else the conversation's model is used",
    }),
    systemPrompt: z.string().max(20_000).optional().openapi({ description: 'For a new conversation' }),
    repositoryIds: z
      .array(z.uuid({ error: 'must be repository ids' }))
      .max(MAX_REPOSITORIES, `at most ${MAX_REPOSITORIES} repositories`)
      .optional()
      .openapi({
        description:
          'Knowledge repositories to answer from, stored on the conversation (omit to keep the attached ones, [] to detach all). Each must be readable by you (404 otherwise). The answer cites passages as [1], [2]; the sources are saved with it as a `data-sources` part.',
      }),
    messages: z.array(IncomingMessage).max(1000),
    trigger: z.enum(['submit-message', 'regenerate-message']).default('submit-message'),
    messageId: z.string().max(200).optional().openapi({
      description:
        'submit-message: the user message being edited (a sibling branch is created). regenerate-message: the assistant message to regenerate (default: the latest on the branch).',
    }),
  })
  .openapi('ChatRequest');
export type ChatRequestInput = z.input<typeof ChatRequest>;

export const UsageView = z
  .object({
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    cachedInputTokens: z.number().int(),
    reasoningTokens: z.number().int(),
    estimated: z.boolean().optional().openapi({
      description:
        'True when the provider reported no usage (the answer was stopped or cut first) and the tokens were estimated from the text',
    }),
  })
  .openapi('TokenUsage');

/** `metadata` of assistant UI messages: ids at `start`, results at `finish`. */
export const ChatMessageMetadata = z
  .object({
    conversationId: z.uuid(),
    parentId: z.uuid().nullable(),
    userMessageId: z.uuid().optional(),
    modelId: z.uuid().nullable(),
    title: z.string().optional(),
    createdAt: z.string(),
    status: z.enum(['complete', 'streaming', 'failed', 'stopped']),
    finishReason: z.string().nullable().optional(),
    error: z.string().nullable().optional(),
    usage: UsageView.optional(),
    costUsd: z.string().nullable().optional(),
    latencyMs: z.number().int().nullable().optional(),
    ttftMs: z.number().int().nullable().optional(),
  })
  .openapi('ChatMessageMetadata');
export type ChatMessageMetadata = z.infer<typeof ChatMessageMetadata>;

export const StoredMessage = z
  .object({
    id: z.uuid(),
    parentId: z.uuid().nullable(),
    role: z.enum(['user', 'assistant', 'system']),
    parts: z.array(z.object({ type: z.string() }).passthrough()),
    modelId: z.uuid().nullable(),
    status: z.enum(['complete', 'streaming', 'failed', 'stopped']),
    finishReason: z.string().nullable(),
    error: z.string().nullable(),
    usage: UsageView,
    costUsd: z.string().nullable(),
    latencyMs: z.number().int().nullable(),
    ttftMs: z.number().int().nullable(),
    createdAt: z.string(),
    /** Ids of this message and its siblings (alternatives under the same parent), oldest first. */
    siblingIds: z.array(z.uuid()),
  })
  .openapi('ChatMessage');
export type StoredMessageView = z.infer<typeof StoredMessage>;

/** The current branch in useChat's shape, ready for `useChat({ messages })`. */
export const BranchMessage = z
  .object({
    id: z.uuid(),
    role: z.enum(['user', 'assistant', 'system']),
    parts: z.array(z.object({ type: z.string() }).passthrough()),
    metadata: z
      .object({
        parentId: z.uuid().nullable(),
        siblingIds: z.array(z.uuid()),
        status: z.enum(['complete', 'streaming', 'failed', 'stopped']),
        modelId: z.uuid().nullable(),
        error: z.string().nullable(),
        usage: UsageView,
        costUsd: z.string().nullable(),
        latencyMs: z.number().int().nullable(),
        ttftMs: z.number().int().nullable(),
        createdAt: z.string(),
      })
      .passthrough(),
  })
  .openapi('BranchUIMessage');

export const Conversation = z
  .object({
    id: z.uuid(),
    title: z.string(),
    modelId: z.uuid().nullable(),
    systemPrompt: z.string().nullable(),
    repositoryIds: z.array(z.uuid()).openapi({
      description: 'Knowledge repositories each turn retrieves from (cited answers)',
    }),
    pinned: z.boolean(),
    archived: z.boolean(),
    forkedFrom: z.uuid().nullable(),
    currentLeafId: z.uuid().nullable(),
    messageCount: z.number().int(),
    totalTokens: z.number().int(),
    totalCostUsd: z.string(),
    lastMessageAt: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    /** Search results only: a fragment of the matching message text. */
    snippet: z.string().nullable().optional(),
  })
  .openapi('Conversation');
export type ConversationView = z.infer<typeof Conversation>;

export const ConversationPage = z
  .object({
    items: z.array(Conversation),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page' }),
  })
  .openapi('ConversationPage');
export type ConversationPageView = z.infer<typeof ConversationPage>;

export const ListConversationsQuery = z.object({
  q: z.string().trim().max(200).optional().openapi({ description: 'Search titles and message text' }),
  pinned: z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .transform((v) => v === true || v === 'true')
    .optional(),
  archived: z
    .enum(['true', 'false', 'all'])
    .default('false')
    .openapi({ description: 'Default: only conversations not archived' }),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export const CreateConversationInput = z
  .object({
    title: z.string().trim().max(200).optional(),
    modelId: z.uuid().optional(),
    systemPrompt: z.string().max(20_000).nullable().optional(),
  })
  .strict()
  .openapi('CreateConversationInput');

export const UpdateConversationInput = z
  .object({
    title: z.string().trim().min(1, 'is required').max(200),
    pinned: z.boolean(),
    archived: z.boolean(),
    systemPrompt: z.string().max(20_000).nullable(),
    modelId: z.uuid(),
    currentLeafId: z.uuid().openapi({ description: 'Switch branch: any message of the conversation' }),
  })
  .partial()
  .strict()
  .openapi('UpdateConversationInput');

export const ForkInput = z
  .object({
    messageId: z
      .uuid()
      .optional()
      .openapi({ description: 'Fork up to this message (default: the current leaf)' }),
    title: z.string().trim().max(200).optional(),
  })
  .strict()
  .openapi('ForkInput');

export const MessagesView = z
  .object({
    conversationId: z.uuid(),
    currentLeafId: z.uuid().nullable(),
    /** Every message of the tree (all branches), oldest first. */
    messages: z.array(StoredMessage),
    /** The branch from the root to currentLeafId, as UI messages. */
    branch: z.array(BranchMessage),
  })
  .openapi('ConversationMessages');
