/**
 * POST /api/v1/chat/completions: an OpenAI Chat Completions request run through the model-call core
 * (api/ai/run) like every other surface — the caller's usable models and grants, admission (budget
 * reservation, concurrent answers; surface `api`), the shared idle timeout and error vocabulary, the usage
 * ledger. Stateless: the client sends the whole history, nothing is stored as a conversation.
 * This file adapts the core's events to OpenAI's shapes: a `chat.completion` object, or SSE chunks.
 * The upstream is read to the end even if the client disconnects, so the tokens are accounted.
 */
import { randomUUID } from 'node:crypto';
import type { FinishReason } from 'ai';
import {
  type CallSettings,
  type ModelCalls,
  RUN_ERROR_STATUS,
  type RunEvent,
  type RunResult,
  type SimpleMessage,
  toPrompt,
} from '../../ai/run';
import type { TokenCounts } from '../../ai/usage';
import { assertCan, assertSignedIn } from '../../lib/authz';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import { FILL, jsonTemplate, SseWriter } from '../../lib/sse';
import { imageRefused } from '../chat/vision-check';
import type { ModelsService } from '../models/models.service';
import { openAiErrorBody } from './openai.errors';
import { findPublicModel, usableModels } from './openai.models';
import type { ChatCompletionInput } from './openai.schemas';

type OpenAiFinish = 'stop' | 'length' | 'content_filter' | 'tool_calls';

function finishOf(reason: FinishReason | undefined): OpenAiFinish {
  if (reason === 'length') return 'length';
  if (reason === 'content-filter') return 'content_filter';
  if (reason === 'tool-calls') return 'tool_calls';
  return 'stop';
}

function usageOf(t: TokenCounts) {
  return {
    prompt_tokens: t.inputTokens,
    completion_tokens: t.outputTokens,
    total_tokens: t.inputTokens + t.outputTokens,
    prompt_tokens_details: { cached_tokens: t.cachedInputTokens },
    completion_tokens_details: { reasoning_tokens: t.reasoningTokens },
  };
}

type Content = ChatCompletionInput['messages'][number]['content'];

const textOf = (content: Content): string =>
  typeof content === 'string'
    ? content
    : (content ?? []).map((p) => (p.type === 'text' ? p.text : '')).join('');

/** OpenAI messages → the core's: system/developer become the system prompt, images become file parts. */
export function toSimpleMessages(messages: ChatCompletionInput['messages']): {
  system: string | undefined;
  messages: SimpleMessage[];
} {
  const system: string[] = [];
  const out: SimpleMessage[] = [];
  for (const m of messages) {
    if (m.role === 'system' || m.role === 'developer') system.push(textOf(m.content));
    else if (m.role === 'assistant') out.push({ role: 'assistant', content: textOf(m.content) });
    else if (typeof m.content === 'string' || m.content === null)
      out.push({ role: 'user', content: m.content ?? '' });
    else
      out.push({
        role: 'user',
        content: m.content.map((p) =>
          p.type === 'text'
            ? { type: 'text' as const, text: p.text }
            : { type: 'file', url: p.image_url.url },
        ),
      });
  }
  if (out.length === 0)
    throw new AppError('validation:api', 'messages must include at least one user or assistant message', {
      details: { fields: { messages: 'needs a user message' } },
    });
  return { system: system.length ? system.join('\n\n') : undefined, messages: out };
}

/** A failed run as the error the OpenAI dialect reports (JSON body or a final stream chunk). */
const failure = (r: RunResult) => {
  const code = r.error?.code ?? 'interrupted';
  return new AppError('upstream:provider', r.error?.message ?? 'The model call failed', {
    status: RUN_ERROR_STATUS[code],
  });
};

export type CompletionResult =
  | { kind: 'json'; body: Record<string, unknown> }
  | { kind: 'stream'; stream: ReadableStream<Uint8Array> };

export class CompletionsService {
  constructor(private readonly deps: { models: ModelsService; calls: ModelCalls }) {}

  async complete(ctx: Ctx, input: ChatCompletionInput): Promise<CompletionResult> {
    assertCan(ctx.actor, 'chat:use');
    assertSignedIn(ctx.actor);
    const publicModel = findPublicModel(await usableModels(ctx, this.deps.models, 'chat'), input.model);
    const { system, messages } = toSimpleMessages(input.messages);
    // As in chat: an image goes only to a model marked as reading images, else nothing is sent.
    if (!publicModel.model.capabilities.includes('vision')) {
      const i = input.messages.findIndex(
        (m) => Array.isArray(m.content) && m.content.some((p) => p.type === 'image_url'),
      );
      if (i >= 0) throw imageRefused(publicModel.model, `messages.${i}.content`, 'api');
    }
    const model = await this.deps.calls.resolve(ctx, publicModel.model.id, 'chat');
    const stop = input.stop == null ? undefined : Array.isArray(input.stop) ? input.stop : [input.stop];
    const settings: CallSettings = {
      temperature: input.temperature ?? undefined,
      topP: input.top_p ?? undefined,
      maxOutputTokens: input.max_completion_tokens ?? input.max_tokens ?? undefined,
      stopSequences: stop,
      presencePenalty: input.presence_penalty ?? undefined,
      frequencyPenalty: input.frequency_penalty ?? undefined,
      seed: input.seed ?? undefined,
    };
    const meta = {
      id: `chatcmpl-${randomUUID().replaceAll('-', '')}`,
      created: Math.floor(Date.now() / 1000),
      model: input.model,
    };
    const call = {
      surface: 'api' as const,
      model,
      prompt: toPrompt(system, messages),
      settings,
    };

    if (!input.stream) {
      const r = await (await this.deps.calls.start(ctx, call)).done;
      if (r.status === 'failed') throw failure(r);
      return {
        kind: 'json',
        body: {
          ...meta,
          object: 'chat.completion',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: r.text, refusal: null },
              finish_reason: finishOf(r.finishReason),
              logprobs: null,
            },
          ],
          usage: usageOf(r.billed.tokens),
        },
      };
    }
    const out = chunkStream(meta);
    await this.deps.calls.start(ctx, { ...call, onEvent: out.onEvent });
    return { kind: 'stream', stream: out.body };
  }
}

/**
 * SSE in OpenAI's chunk format: a role chunk, content chunks, then a finish chunk and a usage chunk
 * (choices: []) — or an OpenAI error object when the call failed — and `[DONE]`. A client that leaves only
 * detaches the writer: the core keeps reading so the tokens are accounted.
 */
function chunkStream(meta: { id: string; created: number; model: string }) {
  const sse = new SseWriter();
  const chunk = (delta: Record<string, string>, finish: OpenAiFinish | null) => ({
    ...meta,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const content = jsonTemplate(chunk({ content: FILL }, null));
  let textSent = false;
  sse.data(chunk({ role: 'assistant', content: '' }, null));
  const onEvent = (e: RunEvent) => {
    if (e.type === 'text') {
      sse.data(content(e.delta), !textSent);
      textSent = true;
    } else if (e.type === 'finish') {
      const r = e.result;
      if (r.status === 'failed') sse.data(openAiErrorBody(failure(r)));
      else {
        sse.data(chunk({}, finishOf(r.finishReason)));
        sse.data({ ...meta, object: 'chat.completion.chunk', choices: [], usage: usageOf(r.billed.tokens) });
      }
      sse.data('[DONE]');
      sse.close();
    }
  };
  return { body: sse.body, onEvent };
}
