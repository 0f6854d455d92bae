/**
 * The light relay of OpenAI chat completions (issue 14, docs/decisions/020): when the client speaks the
 * upstream's protocol (the gateway's /api/v1/chat/completions in front of an `openai-compatible` model),
 * the pump sends the request itself and reads the upstream's SSE with a plain parser that takes only what
 * the core needs — text, reasoning, usage and the finish reason — instead of the provider package's stream
 * (decoder, SSE and JSON stages, a zod validation per chunk: ~10× the cost per chunk, ADR 013).
 * It yields the same stream parts the provider's `doStream` does, with the same errors (APICallError for an
 * HTTP failure or an unreachable host, parse errors, a missing finish), so budget, metering, persistence
 * and the error vocabulary stay the core's, unchanged. Anything that needs translating (files, tools,
 * provider options, reasoning in the history, other settings) stays on the AI SDK: `chatCompletionsBody`
 * answers null and the pump calls `doStream`.
 */
import type {
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
  LanguageModelV3Usage,
} from '@ai-sdk/provider';
import {
  APICallError,
  EmptyResponseBodyError,
  InvalidResponseDataError,
  JSONParseError,
  TypeValidationError,
} from 'ai';
import { createParser } from 'eventsource-parser';
import type { ChatCompletionsTarget } from '../providers';
import type { CallSettings } from './model-run';

/** Settings the relay sends as OpenAI parameters; any other setting goes through the AI SDK. */
const PARAMS: Record<string, string> = {
  maxOutputTokens: 'max_tokens',
  temperature: 'temperature',
  topP: 'top_p',
  frequencyPenalty: 'frequency_penalty',
  presencePenalty: 'presence_penalty',
  stopSequences: 'stop',
  seed: 'seed',
};

type OpenAiMessage = { role: 'system' | 'user' | 'assistant'; content: unknown };

/**
 * The upstream request body (what @ai-sdk/openai-compatible would send for this prompt), or null when the
 * call needs the SDK's translation.
 */
export function chatCompletionsBody(
  target: ChatCompletionsTarget,
  prompt: LanguageModelV3Prompt,
  settings: CallSettings = {},
): Record<string, unknown> | null {
  const body: Record<string, unknown> = { model: target.modelId };
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined) continue;
    const param = PARAMS[key];
    if (!param) return null;
    body[param] = value;
  }
  const messages: OpenAiMessage[] = [];
  for (const m of prompt) {
    if (m.providerOptions) return null;
    if (m.role === 'system') {
      messages.push({ role: 'system', content: m.content });
      continue;
    }
    if (m.role !== 'user' && m.role !== 'assistant') return null;
    const texts: string[] = [];
    for (const part of m.content) {
      if (part.type !== 'text' || part.providerOptions) return null;
      texts.push(part.text);
    }
    if (m.role === 'assistant') messages.push({ role: 'assistant', content: texts.join('') });
    else
      messages.push({
        role: 'user',
        content: texts.length === 1 ? texts[0] : texts.map((text) => ({ type: 'text', text })),
      });
  }
  body.messages = messages;
  body.stream = true;
  body.stream_options = { include_usage: true };
  return body;
}

type PartSink = (part: LanguageModelV3StreamPart) => void;

/** Sends the request; resolves (once the upstream answered 2xx) with a reader that feeds parts to a sink. */
export async function openChatCompletions(
  target: ChatCompletionsTarget,
  body: Record<string, unknown>,
  signal: AbortSignal,
): Promise<(onPart: PartSink) => Promise<void>> {
  let res: Response;
  try {
    res = await target.fetch(target.url, {
      method: 'POST',
      headers: target.headers,
      body: JSON.stringify(body),
      signal,
    });
  } catch (err) {
    throw fetchFailure(err, target.url, body);
  }
  if (!res.ok) throw await httpFailure(res, target.url, body);
  const stream = res.body;
  if (!stream) throw new EmptyResponseBodyError({});
  const broken = (cause: unknown) =>
    isAbort(cause)
      ? cause
      : new APICallError({
          message: 'Failed to process successful response',
          cause,
          statusCode: res.status,
          url: target.url,
          responseHeaders: Object.fromEntries(res.headers),
          requestBodyValues: body,
        });
  return (onPart) => readChunks(stream, onPart, broken);
}

const isAbort = (err: unknown) =>
  err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError');

/** As @ai-sdk/provider-utils words a transport failure: the provider path reports the same. */
function fetchFailure(err: unknown, url: string, body: unknown): unknown {
  if (isAbort(err)) return err;
  const cause = err instanceof TypeError ? (err.cause as Error | undefined) : undefined;
  if (!cause) return err;
  return new APICallError({
    message: `Cannot connect to API: ${cause.message}`,
    cause,
    url,
    requestBodyValues: body,
    isRetryable: true,
  });
}

async function httpFailure(res: Response, url: string, body: unknown): Promise<APICallError> {
  const responseBody = await res.text().catch(() => '');
  let message = res.statusText;
  try {
    const m = (JSON.parse(responseBody) as { error?: { message?: unknown } }).error?.message;
    if (typeof m === 'string') message = m;
  } catch {
    // not JSON: the status text
  }
  const status = res.status;
  return new APICallError({
    message,
    url,
    requestBodyValues: body,
    statusCode: status,
    responseHeaders: Object.fromEntries(res.headers),
    responseBody,
    isRetryable: status === 408 || status === 409 || status === 429 || status >= 500,
  });
}

const FINISH: Record<string, 'stop' | 'length' | 'content-filter' | 'tool-calls'> = {
  stop: 'stop',
  length: 'length',
  content_filter: 'content-filter',
  function_call: 'tool-calls',
  tool_calls: 'tool-calls',
};

interface ChunkUsage {
  prompt_tokens?: number | null;
  completion_tokens?: number | null;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
}

function usageOf(u: ChunkUsage | undefined): LanguageModelV3Usage {
  if (!u) {
    return {
      inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: undefined, text: undefined, reasoning: undefined },
    };
  }
  const input = u.prompt_tokens ?? 0;
  const output = u.completion_tokens ?? 0;
  const cached = u.prompt_tokens_details?.cached_tokens ?? 0;
  const reasoning = u.completion_tokens_details?.reasoning_tokens ?? 0;
  return {
    inputTokens: { total: input, noCache: input - cached, cacheRead: cached, cacheWrite: undefined },
    outputTokens: { total: output, text: output - reasoning, reasoning },
    raw: u as Record<string, never>,
  };
}

interface Delta {
  content?: unknown;
  reasoning_content?: unknown;
  reasoning?: unknown;
  refusal?: unknown;
}

/** Reads the SSE body to its end, yielding parts as the provider package's chat model does. */
async function readChunks(
  stream: ReadableStream<Uint8Array>,
  onPart: PartSink,
  broken: (cause: unknown) => unknown,
): Promise<void> {
  let usage: ChunkUsage | undefined;
  let rawFinish: string | undefined;
  let failed = false;
  let hasRefusal = false;
  let open: 'text' | 'reasoning' | null = null;
  const delta = (kind: 'text' | 'reasoning', text: string) => {
    const id = kind === 'text' ? 'txt-0' : 'reasoning-0';
    if (open !== kind) {
      if (open) onPart({ type: `${open}-end`, id: open === 'text' ? 'txt-0' : 'reasoning-0' });
      onPart({ type: `${kind}-start`, id });
      open = kind;
    }
    onPart({ type: `${kind}-delta`, id, delta: text });
  };
  const onData = (data: string) => {
    if (data === '[DONE]') return;
    let value: {
      error?: unknown;
      usage?: ChunkUsage | null;
      choices?: Array<{ delta?: Delta | null; finish_reason?: string | null }>;
    };
    try {
      value = JSON.parse(data);
    } catch (cause) {
      failed = true;
      onPart({ type: 'error', error: new JSONParseError({ text: data, cause }) });
      return;
    }
    if (value && typeof value === 'object' && 'error' in value) {
      failed = true;
      onPart({ type: 'error', error: value.error });
      return;
    }
    if (!value || typeof value !== 'object' || !Array.isArray(value.choices)) {
      failed = true;
      onPart({ type: 'error', error: new TypeValidationError({ value, cause: 'choices is not a list' }) });
      return;
    }
    if (value.usage != null) usage = value.usage;
    const choice = value.choices[0];
    if (choice?.finish_reason != null) rawFinish = choice.finish_reason;
    const d = choice?.delta;
    if (d == null) return;
    const reasoning = d.reasoning_content ?? d.reasoning;
    if (typeof reasoning === 'string' && reasoning) delta('reasoning', reasoning);
    if (typeof d.content === 'string') {
      if (d.content) delta('text', d.content);
    } else if (Array.isArray(d.content)) {
      for (const p of d.content as Array<{ type?: unknown; text?: unknown }>)
        if (typeof p?.text === 'string' && p.text)
          delta(p.type === 'reasoning' ? 'reasoning' : 'text', p.text);
    }
    if (typeof d.refusal === 'string' && d.refusal) {
      hasRefusal = true;
      delta('text', d.refusal);
    }
  };
  const parser = createParser({ onEvent: (event) => onData(event.data) });
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read().catch((err: unknown) => {
      throw broken(err); // a broken body, as the provider package words it
    });
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  parser.feed(decoder.decode()); // an unterminated last event is dropped, as the SDK's parser does
  if (open) onPart({ type: `${open}-end`, id: open === 'text' ? 'txt-0' : 'reasoning-0' });
  let unified: 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other' = 'error';
  if (rawFinish != null)
    unified = rawFinish === 'stop' && hasRefusal ? 'content-filter' : (FINISH[rawFinish] ?? 'other');
  else if (!failed) {
    onPart({
      type: 'error',
      error: new InvalidResponseDataError({
        data: undefined,
        message: 'Response stream ended without a finish reason.',
      }),
    });
  }
  onPart({ type: 'finish', finishReason: { unified, raw: rawFinish }, usage: usageOf(usage ?? undefined) });
}
