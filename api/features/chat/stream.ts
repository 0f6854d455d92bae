/**
 * The chat relay: one upstream model stream → one browser SSE stream, built so that (ADR 005):
 * - the upstream is read to the end by a server-side pump that does not depend on the browser: a
 *   disconnected client only detaches its output, the answer still completes and is saved;
 * - only `stop()` (POST /api/chat/{id}/stop) or the idle timeout abort the upstream call;
 * - nothing touches the database per token: chunks are forwarded as they arrive and accumulated in memory,
 *   and `onDone` runs once at the end (the caller writes the message and its usage there);
 * - upstream errors, timeouts and cut streams become a `message-metadata` chunk (status failed, readable
 *   error) followed by an `error` chunk, never an exception.
 */
import {
  APICallError,
  createUIMessageStreamResponse,
  type FinishReason,
  type LanguageModelUsage,
  type ModelMessage,
  RetryError,
  streamText,
  type UIMessageChunk,
} from 'ai';
import type { StoredPart } from '../../../db/schema/index';
import type { ProviderModel } from '../../ai/providers';
import type { Logger } from '../../lib/logger';
import type { ChatMessageMetadata } from './chat.schemas';

export type RunStatus = 'complete' | 'failed' | 'stopped';

export interface RunResult {
  parts: StoredPart[];
  status: RunStatus;
  finishReason: FinishReason | null;
  error: string | null;
  /** As the provider reported it; undefined when the stream ended before its usage frame. */
  usage: LanguageModelUsage | undefined;
  ttftMs: number | null;
  latencyMs: number;
}

export interface RunInput {
  /** The assistant message id: the `start` chunk's messageId and the key for stop requests. */
  id: string;
  userId: string;
  model: ProviderModel;
  system?: string;
  messages: ModelMessage[];
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
  /** Settles after onDone. */
  done: Promise<void>;
}

/** A readable reason for a failed call, without provider internals such as URLs or request bodies. */
export function describeUpstreamError(err: unknown): string {
  const e = RetryError.isInstance(err) ? err.lastError : err;
  // A stream that broke after a 200 (cut connection, truncated frame) is not the provider's "error".
  if (APICallError.isInstance(e) && (e.statusCode ?? 0) >= 400) {
    const status = e.statusCode ? ` (HTTP ${e.statusCode})` : '';
    if (e.statusCode === 429)
      return `The model provider is rate limiting requests${status}. Try again shortly.`;
    if (e.statusCode === 401 || e.statusCode === 403)
      return `The model provider refused our credentials${status}. Ask an administrator to check the provider settings.`;
    const detail = e.message ? `: ${e.message.slice(0, 300)}` : '';
    return `The model provider returned an error${status}${detail}`;
  }
  return 'The connection to the model provider was interrupted before the answer finished.';
}

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
  let usage: LanguageModelUsage | undefined;
  let finishReason: FinishReason | null = null;
  let ttftMs: number | null = null;
  let error: string | null = null;

  const result = streamText({
    model: input.model,
    system: input.system,
    messages: input.messages,
    abortSignal: upstream.signal,
    maxRetries: 1,
    // The default logs to the console; the pump below reports errors.
    onError: () => {},
  });
  const source = result.toUIMessageStream({
    generateMessageId: () => input.id,
    sendReasoning: true,
    // Called synchronously before the `finish` chunk is emitted: capture what the provider reported.
    messageMetadata: ({ part }) => {
      if (part.type === 'finish') {
        usage = part.totalUsage;
        finishReason = part.finishReason;
      }
      return undefined;
    },
    onError: (err) => {
      // An abort we caused (stop, idle timeout) before the first byte surfaces here as an error.
      if (stopped) return 'Stopped.';
      if (timedOut) return timeoutMessage();
      error = describeUpstreamError(err);
      input.log.warn({ err, messageId: input.id }, 'chat upstream failed');
      return error;
    },
  });

  // The browser side: a detachable sink. cancel() (client went away) detaches; the pump keeps going.
  let client: ReadableStreamDefaultController<UIMessageChunk> | null = null;
  const out = new ReadableStream<UIMessageChunk>({
    start(controller) {
      client = controller;
    },
    cancel() {
      client = null;
    },
  });
  const send = (chunk: UIMessageChunk) => {
    if (!client) return;
    try {
      client.enqueue(chunk);
    } catch {
      client = null;
    }
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
    return {
      parts: builder.result(),
      status,
      finishReason: status === 'complete' ? finishReason : status === 'stopped' ? 'stop' : 'error',
      error: timedOut ? timeoutMessage() : error,
      usage,
      ttftMs,
      latencyMs: Math.round(performance.now() - started),
    };
  };

  const pump = async () => {
    const reader = source.getReader();
    armIdle();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        armIdle();
        if (builder.add(value) && ttftMs === null) ttftMs = Math.round(performance.now() - started);
        if (value.type === 'start') {
          send({ ...value, messageMetadata: input.startMetadata });
        } else if (value.type === 'finish') {
          send({ ...value, messageMetadata: input.endMetadata(snapshot()) });
        } else if (value.type === 'error' || value.type === 'abort') {
          // The UI shows the failure from this metadata (status, error) and offers retry.
          send({ type: 'message-metadata', messageMetadata: input.endMetadata(snapshot()) });
          send(timedOut ? { type: 'error', errorText: timeoutMessage() } : value);
        } else {
          send(value);
        }
      }
    } catch (err) {
      // The source stream itself failed (should not happen: streamText reports errors as chunks).
      error ??= describeUpstreamError(err);
      input.log.warn({ err, messageId: input.id }, 'chat relay failed');
      send({ type: 'message-metadata', messageMetadata: input.endMetadata(snapshot()) });
      send({ type: 'error', errorText: error });
    } finally {
      clearTimeout(idle);
    }
    await input.onDone(snapshot());
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
    done,
  };
  return { run, response: createUIMessageStreamResponse({ stream: out }) };
}
