/**
 * Compare's wire: one SSE body multiplexing every column's events (docs/decisions/010), through the one
 * SSE writer. Unlike chat, closing the request (Stop, or the browser going away) aborts the upstream
 * calls: a comparison is a measurement the person is watching, not a conversation they come back to.
 */
import type { RunResult } from '../../ai/run';
import { SseWriter } from '../../lib/sse';
import type { CompareEvent } from './compare.schemas';

export interface CompareSink {
  emit(event: CompareEvent, urgent?: boolean): void;
  /** Aborts when the client disconnects (or the request's own signal aborts). */
  signal: AbortSignal;
}

/** Runs `produce` into an SSE body; a thrown error becomes an `error` event, `done` always ends it. */
export function compareStream(
  produce: (sink: CompareSink) => Promise<void>,
  requestSignal?: AbortSignal,
): ReadableStream<Uint8Array> {
  const abort = new AbortController();
  const onRequestAbort = () => abort.abort();
  requestSignal?.addEventListener('abort', onRequestAbort, { once: true });
  const sse = new SseWriter({ onCancel: () => abort.abort() });
  const sink: CompareSink = { emit: (e, urgent) => sse.data(e, urgent), signal: abort.signal };
  void produce(sink)
    .catch((err: unknown) => sink.emit({ type: 'error', message: readableError(err) }))
    .finally(() => {
      sink.emit({ type: 'done' });
      requestSignal?.removeEventListener('abort', onRequestAbort);
      sse.close();
    });
  return sse.body;
}

/** Errors before any column runs (ours, worded for people): the first line. */
function readableError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message.split('\n')[0] ?? 'The comparison failed').slice(0, 300) || 'The comparison failed';
}

/** Output tokens per second between the first and the last text (generation speed, not latency). */
export function tokensPerSecond(r: RunResult): number | null {
  const out = r.billed.tokens.outputTokens;
  const seconds = (r.generationMs ?? 0) / 1000;
  return out > 1 && seconds > 0 ? Math.round(((out - 1) / seconds) * 100) / 100 : null;
}
