/**
 * The OpenAI-compatible wire shapes we accept and answer (the subset of OpenAI's Chat Completions and Models
 * APIs that maps onto our chat path). Unknown request fields are ignored, as OpenAI SDKs send extras.
 */
import { z } from '@hono/zod-openapi';

export const ModelObject = z
  .object({
    id: z.string().openapi({ description: 'Pass this as `model`', example: 'gpt-4o-mini' }),
    object: z.literal('model'),
    created: z.number().int().openapi({ description: 'Always 0: not tracked' }),
    owned_by: z.string().openapi({ description: 'The provider', example: 'openai' }),
    name: z.string().openapi({ description: 'Display name (AI Studio extension)' }),
  })
  .openapi('OpenAIModel');

export const ModelList = z
  .object({
    object: z.literal('list'),
    data: z.array(ModelObject),
    has_more: z.boolean(),
    nextCursor: z.string().nullable().openapi({ description: 'Cursor of the next page; null on the last' }),
  })
  .openapi('OpenAIModelList');

const MAX_CONTENT = 400_000;

const ContentPart = z.union([
  z.object({ type: z.literal('text'), text: z.string().max(MAX_CONTENT) }),
  z.object({
    type: z.literal('image_url'),
    image_url: z.object({ url: z.string().max(30_000_000), detail: z.string().max(20).optional() }),
  }),
]);

export const ChatMessageIn = z
  .object({
    role: z.enum(['system', 'developer', 'user', 'assistant']),
    content: z.union([z.string().max(MAX_CONTENT), z.array(ContentPart).max(100)]).nullable(),
    name: z.string().max(100).optional(),
  })
  .openapi('OpenAIChatMessage');

export const ChatCompletionRequest = z
  .object({
    model: z.string().min(1).max(300).openapi({ example: 'gpt-4o-mini' }),
    messages: z.array(ChatMessageIn).min(1).max(1000),
    stream: z.boolean().nullable().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
    temperature: z.number().min(0).max(2).nullable().optional(),
    top_p: z.number().min(0).max(1).nullable().optional(),
    max_tokens: z.number().int().min(1).max(1_000_000).nullable().optional(),
    max_completion_tokens: z.number().int().min(1).max(1_000_000).nullable().optional(),
    stop: z
      .union([z.string().max(200), z.array(z.string().max(200)).max(4)])
      .nullable()
      .optional(),
    presence_penalty: z.number().min(-2).max(2).nullable().optional(),
    frequency_penalty: z.number().min(-2).max(2).nullable().optional(),
    seed: z.number().int().nullable().optional(),
    n: z.number().int().min(1).max(1).nullable().optional().openapi({ description: 'Only 1 is supported' }),
    user: z.string().max(200).optional(),
  })
  .openapi('OpenAIChatCompletionRequest', {
    example: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }], stream: false },
  });
export type ChatCompletionInput = z.infer<typeof ChatCompletionRequest>;

export const CompletionUsage = z
  .object({
    prompt_tokens: z.number().int(),
    completion_tokens: z.number().int(),
    total_tokens: z.number().int(),
    prompt_tokens_details: z.object({ cached_tokens: z.number().int() }).optional(),
    completion_tokens_details: z.object({ reasoning_tokens: z.number().int() }).optional(),
  })
  .openapi('OpenAICompletionUsage');

export const ChatCompletion = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion'),
    created: z.number().int(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({
          role: z.literal('assistant'),
          content: z.string().nullable(),
          refusal: z.null(),
        }),
        finish_reason: z.enum(['stop', 'length', 'content_filter', 'tool_calls']),
        logprobs: z.null(),
      }),
    ),
    usage: CompletionUsage,
  })
  .openapi('OpenAIChatCompletion');

export const ChatCompletionChunk = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion.chunk'),
    created: z.number().int(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.number().int(),
        delta: z.object({ role: z.literal('assistant').optional(), content: z.string().optional() }),
        finish_reason: z.enum(['stop', 'length', 'content_filter', 'tool_calls']).nullable(),
      }),
    ),
    usage: CompletionUsage.nullable().optional(),
  })
  .openapi('OpenAIChatCompletionChunk');
