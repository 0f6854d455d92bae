/**
 * The chat relay: one upstream model stream → one browser SSE stream, built so that (docs/decisions/009):
 * - the upstream is read to the end by a server-side pump that does not depend on the browser: a
 *   disconnected client only detaches its output, the answer still completes and is saved;
 * - only `stop()` (POST /api/chat/{id}/stop) or the idle timeout abort the upstream call;
 * - nothing touches the database per token: chunks are forwarded as they arrive and accumulated in memory,
 *   and `onDone` runs once at the end (the caller writes the message and its usage there);
 * - upstream errors, timeouts and cut streams become a `message-metadata` chunk (status failed, readable
 *   error) followed by an `error` chunk, never an exception.
 */
import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import { type FinishReason, UI_MESSAGE_STREAM_HEADERS, type UIMessageChunk } from 'ai';
import type { StoredPart } from '../../../db/schema/index';
import type { ProviderModel } from '../../ai/providers';
import { estimateTokens, promptSize, type TokenCounts } from '../../ai/usage';
import type { Logger } from '../../lib/logger';
import type { ChatMessageMetadata } from './chat.schemas';
import { describeUpstreamError, openStream, tokenCounts } from './upstream';

// Other surfaces (the OpenAI-compatible API, compare) word upstream failures the same way.
export { describeUpstreamError };

export type RunStatus = 'complete' | 'failed' | 'stopped';

export interface RunResult {
  parts: StoredPart[];
  status: RunStatus;
  finishReason: FinishReason | null;
  error: string | null;
  /** As the provider reported it; undefined when the stream ended before its usage frame. */
  usage: TokenCounts | undefined;
  /** What is billed: `usage`, else an estimate (`billedUsage`). */
  billed: { tokens: TokenCounts; estimated: boolean };
  ttftMs: number | null;
  latencyMs: number;
}

/**
 * What a run is billed: the provider's usage; else, when text arrived but the stream ended before its
 * usage frame (stopped, cut, timed out), an estimate from the prompt and the answer so far; else nothing
 * (the call failed before the model produced anything).
 */
function billedUsage(
  prompt: LanguageModelV3Prompt,
  r: Pick<RunResult, 'usage' | 'ttftMs' | 'parts'>,
): RunResult['billed'] {
  if (r.usage) return { tokens: r.usage, estimated: false };
  if (r.ttftMs === null) {
    return {
      tokens: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0 },
      estimated: false,
    };
  }
  let chars = 0;
  let reasoningChars = 0;
  for (const p of r.parts) {
    if (typeof p.text !== 'string') continue;
    if (p.type === 'text') chars += p.text.length;
    else if (p.type === 'reasoning') reasoningChars += p.text.length;
  }
  const reasoningTokens = estimateTokens({ chars: reasoningChars });
  return {
    tokens: {
      inputTokens: estimateTokens(promptSize(prompt)),
      outputTokens: estimateTokens({ chars }) + reasoningTokens,
      cachedInputTokens: 0,
      reasoningTokens,
    },
    estimated: true,
  };
}

export interface RunInput {
  /** The assistant message id: the `start` chunk's messageId and the key for stop requests. */
  id: string;
  userId: string;
  model: ProviderModel;
  prompt: LanguageModelV3Prompt;
  /** Sent with `start`. */
  startMetadata: ChatMessageMetadata;
  /** Metadata for the end of the stream (`finish`, or `message-metadata` before `error`/`abort`). */
  endMetadata(result: RunResult): ChatMessageMetadata;
  /** Persists the result; awaited before the client stream closes. Must not throw. */
  onDone(result: RunResult): Promise<void>;
  idleTimeoutMs: number;
  log: Logger;
}

export interface Run {
  id: string;
  userId: string;
  stop(): void;
  /** Aborts with a failure the client sees as an error (e.g. the turn could not be saved). */
  fail(reason: string): void;
  /** Settles after onDone. */
  done: Promise<void>;
}

const encoder = new TextEncoder();
/** Frames after the first text are written at most this often. */
const FLUSH_INTERVAL_MS = 10;

/** Builds the stored UI message parts from the chunks as they pass. */
class PartsBuilder {
  readonly parts: StoredPart[] = [];
  private readonly open = new Map<string, StoredPart & { text: string }>();

  add(chunk: UIMessageChunk): boolean {
    switch (chunk.type) {
      case 'start-step':
        this.parts.push({ type: 'step-start' });
        return false;
      case 'text-start':
      case 'reasoning-start': {
        const part = { type: chunk.type === 'text-start' ? 'text' : 'reasoning', text: '' };
        this.open.set(`${part.type}:${chunk.id}`, part);
        this.parts.push(part);
        return false;
      }
      case 'text-delta':
      case 'reasoning-delta': {
        const part = this.open.get(`${chunk.type === 'text-delta' ? 'text' : 'reasoning'}:${chunk.id}`);
        if (part) part.text += chunk.delta;
        return chunk.delta.length > 0;
      }
      case 'source-url':
        this.parts.push({ type: 'source-url', sourceId: chunk.sourceId, url: chunk.url, title: chunk.title });
        return false;
      case 'file':
        this.parts.push({ type: 'file', url: chunk.url, mediaType: chunk.mediaType });
        return false;
      default:
        return false;
    }
  }

  /** Drops empty text/reasoning parts and trailing step markers. */
  result(): StoredPart[] {
    const kept = this.parts.filter(
      (p) =>
        !((p.type === 'text' || p.type === 'reasoning') && (p as unknown as { text: string }).text === ''),
    );
    while (kept.at(-1)?.type === 'step-start') kept.pop();
    return kept;
  }
}

/** Starts the upstream call and its pump; returns the run (for stop) and the browser response. */
export function startRun(input: RunInput): { run: Run; response: Response } {
  const started = performance.now();
  const upstream = new AbortController();
  let stopped = false;
  let timedOut = false;
  let usage: TokenCounts | undefined;
  let finishReason: FinishReason | null = null;
  let ttftMs: number | null = null;
  let error: string | null = null;

  // The browser side: a detachable SSE sink. cancel() (client went away) detaches; the pump keeps going.
  // Frames are written together, not one socket write per token (under load, writes are most of the
  // relay's cost): the opening frames and the first text go out at the end of their event-loop turn,
  // later frames at most every FLUSH_INTERVAL_MS (below a display frame, so streaming looks the same).
  let client: ReadableStreamDefaultController<Uint8Array> | null = null;
  let pending = '';
  let flushQueued = false;
  let lastFlushAt = Number.NEGATIVE_INFINITY;
  let textSent = false;
  let flushTimer: NodeJS.Timeout | undefined;
  const out = new ReadableStream<Uint8Array>({
    start(controller) {
      client = controller;
    },
    cancel() {
      client = null;
    },
  });
  const flush = () => {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    flushQueued = false;
    lastFlushAt = performance.now();
    const frames = pending;
    pending = '';
    if (!client || !frames) return;
    try {
      client.enqueue(encoder.encode(frames));
    } catch {
      client = null;
    }
  };
  const send = (chunk: UIMessageChunk) => {
    if (!client) return;
    pending += `data: ${JSON.stringify(chunk)}\n\n`;
    const firstText = !textSent && chunk.type === 'text-delta';
    if (firstText) {
      textSent = true;
      if (flushTimer) {
        clearTimeout(flushTimer); // the first text must not wait for the interval
        flushTimer = undefined;
        flushQueued = false;
      }
    }
    if (flushQueued) return;
    flushQueued = true;
    const wait = firstText ? 0 : lastFlushAt + FLUSH_INTERVAL_MS - performance.now();
    if (wait <= 0) setImmediate(flush);
    else flushTimer = setTimeout(flush, wait);
  };

  let idle: NodeJS.Timeout | undefined;
  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      timedOut = true;
      upstream.abort();
    }, input.idleTimeoutMs);
  };

  const timeoutMessage = () =>
    `The model stopped responding (nothing received for ${Math.round(input.idleTimeoutMs / 1000)} s).`;
  const builder = new PartsBuilder();
  const snapshot = (): RunResult => {
    const status: RunStatus = error || timedOut ? 'failed' : stopped ? 'stopped' : 'complete';
    const parts = builder.result();
    return {
      parts,
      status,
      finishReason: status === 'complete' ? finishReason : status === 'stopped' ? 'stop' : 'error',
      error: timedOut ? timeoutMessage() : error,
      usage,
      billed: billedUsage(input.prompt, { usage, ttftMs, parts }),
      ttftMs,
      latencyMs: Math.round(performance.now() - started),
    };
  };

  /** Sends a chunk and records it in the stored parts; starts the TTFT clock on the first text. */
  const emit = (chunk: UIMessageChunk) => {
    if (builder.add(chunk) && ttftMs === null) ttftMs = Math.round(performance.now() - started);
    send(chunk);
  };

  const pump = async () => {
    armIdle();
    emit({ type: 'start', messageId: input.id, messageMetadata: input.startMetadata });
    emit({ type: 'start-step' });
    try {
      const { stream } = await openStream(input.model, input.prompt, upstream.signal);
      const reader = stream.getReader();
      for (;;) {
        const { done, value: part } = await reader.read();
        if (done) break;
        armIdle();
        switch (part.type) {
          case 'text-start':
          case 'text-end':
          case 'reasoning-start':
          case 'reasoning-end':
            emit({ type: part.type, id: part.id });
            break;
          case 'text-delta':
          case 'reasoning-delta':
            emit({ type: part.type, id: part.id, delta: part.delta });
            break;
          case 'finish':
            usage = tokenCounts(part.usage);
            finishReason = part.finishReason.unified;
            break;
          case 'error':
            error ??= describeUpstreamError(part.error);
            input.log.warn({ err: part.error, messageId: input.id }, 'chat upstream reported an error');
            break;
          default:
            break;
        }
      }
    } catch (err) {
      // Our own aborts (stop, idle timeout, fail) surface here too; only a foreign failure is an error.
      if (!upstream.signal.aborted) {
        error ??= describeUpstreamError(err);
        input.log.warn({ err, messageId: input.id }, 'chat upstream failed');
      }
    } finally {
      clearTimeout(idle);
    }
    const result = snapshot();
    if (result.status === 'complete') {
      send({ type: 'finish-step' });
      send({
        type: 'finish',
        finishReason: finishReason ?? 'stop',
        messageMetadata: input.endMetadata(result),
      });
    } else {
      // The UI shows the failure from this metadata (status, error) and offers retry.
      send({ type: 'message-metadata', messageMetadata: input.endMetadata(result) });
      send(
        result.status === 'stopped'
          ? { type: 'abort' }
          : { type: 'error', errorText: result.error ?? 'Failed.' },
      );
    }
    await input.onDone(result);
    pending += 'data: [DONE]\n\n';
    flush();
    if (client) {
      try {
        client.close();
      } catch {
        // already closed by a cancel racing the end
      }
    }
  };

  const done = pump();
  const run: Run = {
    id: input.id,
    userId: input.userId,
    stop() {
      if (stopped) return;
      stopped = true;
      upstream.abort();
    },
    fail(reason) {
      error ??= reason; // an error makes the abort a failure, not a stop
      upstream.abort();
    },
    done,
  };
  return { run, response: new Response(out, { headers: UI_MESSAGE_STREAM_HEADERS }) };
}
