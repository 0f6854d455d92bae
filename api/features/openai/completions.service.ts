/**
 * POST /api/v1/chat/completions: an OpenAI Chat Completions request run through the same path as chat —
 * the caller's usable models and grants (ModelsService), the provider factory, the monthly budget
 * (BudgetsService, surface `api`) and the usage ledger (UsageService, surface `api`). Stateless: the client
 * sends the whole history, nothing is stored as a conversation.
 *
 * Streaming follows chat's rule (ADR 005): the upstream is read to the end by a pump that does not depend on
 * the client, so the tokens are accounted even if the client disconnects.
 */
import { randomUUID } from 'node:crypto';
import { type FinishReason, generateText, type LanguageModelUsage, type ModelMessage, streamText } from 'ai';
import { tokenCountsFromUsage } from '../../ai/usage';
import { assertCan, assertSignedIn } from '../../lib/authz';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import { describeUpstreamError } from '../chat/stream';
import type { ModelRow } from '../models/models.repo';
import type { ModelsService } from '../models/models.service';
import type { BudgetsService } from '../usage/budgets.service';
import type { UsageService } from '../usage/usage.service';
import { openAiErrorBody } from './openai.errors';
import { findPublicModel, usableModels } from './openai.models';
import type { ChatCompletionInput } from './openai.schemas';

/** Upper bound for one completion, streaming or not. */
const CALL_TIMEOUT_MS = 10 * 60_000;

type OpenAiFinish = 'stop' | 'length' | 'content_filter' | 'tool_calls';

function finishOf(reason: FinishReason | undefined): OpenAiFinish {
  if (reason === 'length') return 'length';
  if (reason === 'content-filter') return 'content_filter';
  if (reason === 'tool-calls') return 'tool_calls';
  return 'stop';
}

function usageOf(usage: LanguageModelUsage | undefined) {
  const t = tokenCountsFromUsage(usage ?? ({} as LanguageModelUsage));
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

/** OpenAI messages → the AI SDK's: system/developer become the system prompt, images become image parts. */
export function toModelMessages(messages: ChatCompletionInput['messages']): {
  system: string | undefined;
  messages: ModelMessage[];
} {
  const system: string[] = [];
  const out: ModelMessage[] = [];
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
            : { type: 'image' as const, image: p.image_url.url },
        ),
      });
  }
  if (out.length === 0)
    throw new AppError('validation:api', 'messages must include at least one user or assistant message', {
      details: { fields: { messages: 'needs a user message' } },
    });
  return { system: system.length ? system.join('\n\n') : undefined, messages: out };
}

const upstreamError = (err: unknown) =>
  err instanceof AppError
    ? err
    : new AppError('upstream:provider', describeUpstreamError(err), { status: 502 });

export type CompletionResult =
  | { kind: 'json'; body: Record<string, unknown> }
  | { kind: 'stream'; stream: ReadableStream<Uint8Array> };

export class CompletionsService {
  constructor(
    private readonly deps: { models: ModelsService; budgets: BudgetsService; usage: UsageService },
  ) {}

  async complete(ctx: Ctx, input: ChatCompletionInput): Promise<CompletionResult> {
    assertCan(ctx.actor, 'chat:use');
    assertSignedIn(ctx.actor);
    const publicModel = findPublicModel(await usableModels(ctx, this.deps.models, 'chat'), input.model);
    const { system, messages } = toModelMessages(input.messages);
    const [row] = await Promise.all([
      this.deps.models.getUsable(ctx, publicModel.model.id, 'chat'),
      this.deps.budgets.assertWithinBudget(ctx, 'api'),
    ]);
    const model = await this.deps.models.languageModel(ctx, row);
    const stop = input.stop == null ? undefined : Array.isArray(input.stop) ? input.stop : [input.stop];
    const call = {
      model,
      system,
      messages,
      temperature: input.temperature ?? undefined,
      topP: input.top_p ?? undefined,
      maxOutputTokens: input.max_completion_tokens ?? input.max_tokens ?? undefined,
      stopSequences: stop,
      presencePenalty: input.presence_penalty ?? undefined,
      frequencyPenalty: input.frequency_penalty ?? undefined,
      seed: input.seed ?? undefined,
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    };
    const meta = {
      id: `chatcmpl-${randomUUID().replaceAll('-', '')}`,
      created: Math.floor(Date.now() / 1000),
      model: input.model,
    };
    const record = (usage: LanguageModelUsage | undefined) =>
      this.deps.usage.record(ctx.db, {
        userId: ctx.actor.id,
        model: row,
        surface: 'api',
        tokens: tokenCountsFromUsage(usage ?? ({} as LanguageModelUsage)),
        requestId: ctx.requestId,
      });

    if (!input.stream) {
      let result: Awaited<ReturnType<typeof generateText>>;
      try {
        result = await generateText(call);
      } catch (err) {
        throw upstreamError(err);
      }
      await record(result.usage);
      return {
        kind: 'json',
        body: {
          ...meta,
          object: 'chat.completion',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: result.text, refusal: null },
              finish_reason: finishOf(result.finishReason),
              logprobs: null,
            },
          ],
          usage: usageOf(result.usage),
        },
      };
    }
    return { kind: 'stream', stream: this.relay(ctx, call, meta, row, record) };
  }

  /** SSE in OpenAI's chunk format; usage in a final chunk (choices: []), then `[DONE]`. */
  private relay(
    ctx: Ctx,
    call: Parameters<typeof streamText>[0],
    meta: { id: string; created: number; model: string },
    row: ModelRow,
    record: (usage: LanguageModelUsage | undefined) => Promise<unknown>,
  ): ReadableStream<Uint8Array> {
    const encoder = new TextEncoder();
    let detached = false;
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const send = (data: unknown) => {
      if (detached) return;
      try {
        controller.enqueue(
          encoder.encode(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`),
        );
      } catch {
        detached = true;
      }
    };
    const chunk = (delta: Record<string, string>, finish: OpenAiFinish | null, usage?: unknown) => ({
      ...meta,
      object: 'chat.completion.chunk',
      choices:
        finish === null && !Object.keys(delta).length && usage
          ? []
          : [{ index: 0, delta, finish_reason: finish }],
      ...(usage ? { usage } : {}),
    });
    const pump = async () => {
      let usage: LanguageModelUsage | undefined;
      let finish: FinishReason | undefined;
      let failure: AppError | null = null;
      try {
        const result = streamText({ ...call, onError: () => {} });
        send(chunk({ role: 'assistant', content: '' }, null));
        for await (const part of result.fullStream) {
          if (part.type === 'text-delta' && part.text) send(chunk({ content: part.text }, null));
          else if (part.type === 'finish') {
            usage = part.totalUsage;
            finish = part.finishReason;
          } else if (part.type === 'error') failure = upstreamError(part.error);
        }
      } catch (err) {
        failure = upstreamError(err);
      }
      try {
        await record(usage);
      } catch (err) {
        ctx.log.error({ err, modelId: row.id }, 'api completion: usage write failed');
      }
      if (failure) send(openAiErrorBody(failure));
      else {
        send(chunk({}, finishOf(finish)));
        send(chunk({}, null, usageOf(usage)));
      }
      send('[DONE]');
      if (!detached) controller.close();
    };
    return new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
        void pump();
      },
      cancel() {
        // The client left: keep reading upstream so the tokens are still accounted.
        detached = true;
      },
    });
  }
}
