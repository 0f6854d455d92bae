/**
 * Streaming machinery of Model Compare, independent of HTTP and the database:
 * - `runColumn` streams one model's answer, timing time-to-first-token and generation speed;
 * - `sseStream` multiplexes events of every column into one `text/event-stream` body.
 * Tokens go straight to the socket; nothing is written to the database per token.
 */
import { type LanguageModelUsage, type ModelMessage, streamText } from 'ai';
import type { ProviderModel } from '../../ai/providers';
import { estimateTokens, promptSize, type TokenCounts } from '../../ai/usage';
import type { CompareEvent } from './compare.schemas';

export interface ColumnOutcome {
  text: string;
  status: 'complete' | 'failed' | 'stopped';
  error: string | null;
  ttftMs: number | null;
  durationMs: number;
  /** As reported by the provider; undefined when the stream ended before the provider reported usage. */
  usage: LanguageModelUsage | undefined;
  /** Output tokens per second between the first and the last text, or null when not measurable. */
  tokensPerSecond: number | null;
}

export interface RunColumnInput {
  model: ProviderModel;
  system?: string;
  messages: ModelMessage[];
  signal: AbortSignal;
  maxOutputTokens?: number;
  onText(delta: string): void;
  onFirstToken(ttftMs: number): void;
}

/** Estimated tokens of a column whose stream ended before the provider reported usage. */
export function estimateColumnUsage(
  system: string | null | undefined,
  messages: ModelMessage[],
  answer: string,
): TokenCounts {
  return {
    inputTokens: estimateTokens(promptSize(system ? [{ content: system }, ...messages] : messages)),
    outputTokens: estimateTokens({ chars: answer.length }),
    cachedInputTokens: 0,
    reasoningTokens: 0,
  };
}

/** Upstream errors carry long bodies; people get the first line. */
function readableError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message.split('\n')[0] ?? 'The model failed').slice(0, 300) || 'The model failed';
}

export async function runColumn(input: RunColumnInput): Promise<ColumnOutcome> {
  const started = performance.now();
  let firstAt: number | null = null;
  let lastAt: number | null = null;
  let text = '';
  let usage: LanguageModelUsage | undefined;
  let status: ColumnOutcome['status'] = 'complete';
  let error: string | null = null;
  try {
    const result = streamText({
      model: input.model,
      system: input.system,
      messages: input.messages,
      abortSignal: input.signal,
      maxOutputTokens: input.maxOutputTokens,
      // A compare column is a measurement: a silent retry would hide the failure and skew the timing.
      maxRetries: 0,
      // Errors arrive as 'error' parts below; the SDK's default handler would also print them.
      onError: () => {},
    });
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta' && part.text) {
        const now = performance.now();
        if (firstAt === null) {
          firstAt = now;
          input.onFirstToken(Math.round(now - started));
        }
        lastAt = now;
        text += part.text;
        input.onText(part.text);
      } else if (part.type === 'finish') {
        usage = part.totalUsage;
      } else if (part.type === 'abort') {
        status = 'stopped';
      } else if (part.type === 'error') {
        throw part.error;
      }
    }
  } catch (err) {
    if (input.signal.aborted) status = 'stopped';
    else {
      status = 'failed';
      error = readableError(err);
    }
  }
  if (input.signal.aborted && status === 'complete' && usage === undefined) status = 'stopped';
  const outputTokens = usage?.outputTokens ?? 0;
  const genSeconds = firstAt !== null && lastAt !== null ? (lastAt - firstAt) / 1000 : 0;
  return {
    text,
    status,
    error,
    ttftMs: firstAt === null ? null : Math.round(firstAt - started),
    durationMs: Math.round(performance.now() - started),
    usage,
    tokensPerSecond:
      outputTokens > 1 && genSeconds > 0 ? Math.round(((outputTokens - 1) / genSeconds) * 100) / 100 : null,
  };
}

/**
 * A Server-Sent Events body fed by `produce`. `emit` is a no-op once the client has gone; `signal` aborts
 * when the client disconnects (or stops), so `produce` can cancel the upstream calls.
 */
export function sseStream(
  produce: (emit: (event: CompareEvent) => void, signal: AbortSignal) => Promise<void>,
  upstreamSignal?: AbortSignal,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const abort = new AbortController();
  const onUpstreamAbort = () => abort.abort();
  upstreamSignal?.addEventListener('abort', onUpstreamAbort, { once: true });
  let closed = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const emit = (event: CompareEvent) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(`data: ${JSON.stringify(event)}\n\n`));
        } catch {
          closed = true;
        }
      };
      // Not awaited: start() must return so the response can begin streaming.
      void produce(emit, abort.signal)
        .catch((err: unknown) => emit({ type: 'error', message: readableError(err) }))
        .finally(() => {
          emit({ type: 'done' });
          upstreamSignal?.removeEventListener('abort', onUpstreamAbort);
          if (!closed) {
            closed = true;
            controller.close();
          }
        });
    },
    cancel() {
      closed = true;
      abort.abort();
    },
  });
}
