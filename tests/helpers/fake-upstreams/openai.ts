/**
 * OpenAI wire protocol: chat completions (JSON and SSE, usage in a final chunk when
 * `stream_options.include_usage`), the Responses API (JSON and typed SSE events) and `GET /models`.
 * Shared by the OpenAI, Azure and OpenAI-compatible fakes, which differ only in paths and auth headers.
 */
import {
  type Exchange,
  type FakeController,
  handleFailureModes,
  sendJson,
  streamScript,
  usageOf,
} from './controller';

const now = () => Math.floor(Date.now() / 1000);
const sse = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
const typedSse = (value: { type: string; [key: string]: unknown }) =>
  `event: ${value.type}\ndata: ${JSON.stringify(value)}\n\n`;

export function openaiErrorBody(status: number, message: string) {
  const type =
    status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return { error: { message, type, param: null, code: type } };
}

function modelOf(ex: Exchange, fallback = 'fake-model'): string {
  const m = (ex.body as { model?: unknown } | null)?.model;
  return typeof m === 'string' ? m : fallback;
}

function chatUsage(ex: Exchange) {
  const u = usageOf(ex.script);
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cachedInputTokens },
    completion_tokens_details: { reasoning_tokens: u.reasoningTokens },
  };
}

/** POST …/chat/completions */
export async function chatCompletions(ex: Exchange, modelFallback?: string): Promise<void> {
  if (handleFailureModes(ex, openaiErrorBody)) return;
  const body = (ex.body ?? {}) as { stream?: boolean; stream_options?: { include_usage?: boolean } };
  const model = modelOf(ex, modelFallback);
  const id = `chatcmpl-fake-${ex.record.receivedAt}`;
  const created = now();
  const finish = ex.script.finishReason ?? 'stop';
  if (!body.stream) {
    return sendJson(ex, {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: ex.script.chunks.join('') },
          finish_reason: finish,
        },
      ],
      ...(ex.script.omitUsage ? {} : { usage: chatUsage(ex) }),
    });
  }
  const frame = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    sse({ id, object: 'chat.completion.chunk', created, model, choices, ...extra });
  await streamScript(ex, {
    contentType: 'text/event-stream',
    start: () => [frame([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }])],
    chunk: (text) => [frame([{ index: 0, delta: { content: text }, finish_reason: null }])],
    end: () => [
      frame([{ index: 0, delta: {}, finish_reason: finish }]),
      ...(body.stream_options?.include_usage && !ex.script.omitUsage
        ? [frame([], { usage: chatUsage(ex) })]
        : []),
      ...(ex.script.afterAnswer ? [ex.script.afterAnswer] : []),
      'data: [DONE]\n\n',
    ],
    // What OpenAI sends when generation fails after the stream began.
    error: (message) => [sse({ error: { message, type: 'server_error', param: null, code: null } })],
  });
}

function responsesUsage(ex: Exchange) {
  const u = usageOf(ex.script);
  return {
    input_tokens: u.inputTokens,
    input_tokens_details: { cached_tokens: u.cachedInputTokens },
    output_tokens: u.outputTokens,
    output_tokens_details: { reasoning_tokens: u.reasoningTokens },
    total_tokens: u.inputTokens + u.outputTokens,
  };
}

/** POST …/responses */
export async function responses(ex: Exchange, modelFallback?: string): Promise<void> {
  if (handleFailureModes(ex, openaiErrorBody)) return;
  const model = modelOf(ex, modelFallback);
  const id = `resp_fake_${ex.record.receivedAt}`;
  const itemId = `msg_fake_${ex.record.receivedAt}`;
  const createdAt = now();
  const length = ex.script.finishReason === 'length';
  const text = ex.script.chunks.join('');
  const incomplete = length ? { reason: 'max_output_tokens' } : null;
  const message = {
    type: 'message',
    id: itemId,
    role: 'assistant',
    status: length ? 'incomplete' : 'completed',
    content: [{ type: 'output_text', text, annotations: [] }],
  };
  const response = (status: string, extra: Record<string, unknown> = {}) => ({
    id,
    object: 'response',
    created_at: createdAt,
    model,
    status,
    incomplete_details: null,
    output: [],
    ...extra,
  });
  if (!(ex.body as { stream?: boolean } | null)?.stream) {
    return sendJson(
      ex,
      response(length ? 'incomplete' : 'completed', {
        output: [message],
        usage: responsesUsage(ex),
        incomplete_details: incomplete,
      }),
    );
  }
  let seq = 0;
  const ev = (value: Record<string, unknown> & { type: string }) =>
    typedSse({ ...value, sequence_number: seq++ });
  await streamScript(ex, {
    contentType: 'text/event-stream',
    start: () => [
      ev({ type: 'response.created', response: response('in_progress') }),
      ev({
        type: 'response.output_item.added',
        output_index: 0,
        item: { ...message, status: 'in_progress', content: [] },
      }),
    ],
    chunk: (delta) => [
      ev({
        type: 'response.output_text.delta',
        item_id: itemId,
        output_index: 0,
        content_index: 0,
        delta,
        logprobs: [],
      }),
    ],
    end: () => [
      ev({ type: 'response.output_item.done', output_index: 0, item: message }),
      ev({
        type: length ? 'response.incomplete' : 'response.completed',
        response: response(length ? 'incomplete' : 'completed', {
          output: [message],
          usage: responsesUsage(ex),
          incomplete_details: incomplete,
        }),
      }),
    ],
    error: (message) => [ev({ type: 'error', code: 'server_error', message, param: null })],
  });
}

/** GET …/models */
export function listModels(ex: Exchange, controller: FakeController): Promise<void> {
  return sendJson(ex, {
    object: 'list',
    data: controller.models.map((m) => ({
      id: m.id,
      object: 'model',
      created: 1_700_000_000,
      owned_by: 'fake',
    })),
  });
}

/**
 * Words of one meaning share a concept, so the fake's vectors find paraphrases ("physician" ≈ "doctor")
 * that share no word — what a real embedding model does and the lexical embedder cannot.
 */
const CONCEPTS: string[][] = [
  ['doctor', 'physician', 'nurse', 'clinic', 'medical'],
  ['car', 'automobile', 'vehicle', 'bus', 'drive', 'drives', 'driving'],
  ['child', 'children', 'kid', 'kids', 'pupil', 'pupils', 'student', 'students'],
  ['buy', 'purchase', 'purchasing', 'acquire', 'order'],
  ['sick', 'ill', 'unwell', 'illness', 'fever'],
  ['home', 'house', 'residence'],
];
export const FAKE_EMBEDDING_DIMENSIONS = 768;

function fakeEmbedding(text: string, dimensions: number): number[] {
  const v = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
    const concept = CONCEPTS.findIndex((c) => c.includes(word));
    let h = 7;
    for (const ch of concept >= 0 ? `concept${concept}` : word) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    v[h % dimensions]! += concept >= 0 ? 3 : 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

/** POST …/embeddings (OpenAI wire format; `dimensions` honoured, default 768). */
export async function embeddings(ex: Exchange): Promise<void> {
  if (handleFailureModes(ex, openaiErrorBody)) return;
  const body = (ex.body ?? {}) as { input?: string | string[]; dimensions?: number };
  const inputs = Array.isArray(body.input) ? body.input : [body.input ?? ''];
  const dimensions = body.dimensions ?? FAKE_EMBEDDING_DIMENSIONS;
  const tokens = inputs.reduce((n, t) => n + (t.match(/\S+/g)?.length ?? 0), 0);
  return sendJson(ex, {
    object: 'list',
    data: inputs.map((t, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(t, dimensions) })),
    model: modelOf(ex, 'fake-embedding'),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}
