/**
 * Runs a comparison request (start, follow-up or fuse) and folds its SSE events (api/features/compare/
 * compare.schemas.ts CompareEvent) into per-column state. `stop` aborts the request, which stops every model.
 */
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { useCallback, useRef, useState } from 'react';
import type { ColumnView, CompareEvent, ResultView } from '../../../api/features/compare/compare.schemas';
import { ApiError, parseApiError } from '../chat/api';

export interface LiveColumn extends ColumnView {
  text: string;
  ttftMs: number | null;
  result: ResultView | null;
}

export interface LiveRun {
  kind: 'answer' | 'fusion';
  prompt: string;
  comparisonId: string | null;
  turnId: string | null;
  columns: LiveColumn[];
  status: 'streaming' | 'done' | 'error';
  error: string | null;
}

async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<CompareEvent> {
  const events = body
    .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
    .pipeThrough(new EventSourceParserStream());
  const reader = events.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    if (value.data) yield JSON.parse(value.data) as CompareEvent;
  }
}

export function useCompareRun(onDone: (run: LiveRun) => void) {
  const [run, setRun] = useState<LiveRun | null>(null);
  const abort = useRef<AbortController | null>(null);

  const start = useCallback(
    async (url: string, body: unknown, meta: { kind: 'answer' | 'fusion'; prompt: string }) => {
      abort.current?.abort();
      const controller = new AbortController();
      abort.current = controller;
      let state: LiveRun = {
        ...meta,
        comparisonId: null,
        turnId: null,
        columns: [],
        status: 'streaming',
        error: null,
      };
      const update = (next: LiveRun) => {
        state = next;
        setRun(next);
      };
      const patchColumn = (column: number, patch: (c: LiveColumn) => LiveColumn) =>
        update({ ...state, columns: state.columns.map((c) => (c.column === column ? patch(c) : c)) });
      update(state);
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
          body: JSON.stringify(body),
          signal: controller.signal,
        });
        if (!response.ok || !response.body) {
          const text = await response.text();
          throw (
            parseApiError(text, response.status) ??
            new ApiError(response.status, 'error', 'The comparison could not start')
          );
        }
        for await (const event of readEvents(response.body)) {
          if (event.type === 'start') {
            update({
              ...state,
              comparisonId: event.comparisonId,
              turnId: event.turnId,
              columns: event.columns.map((c) => ({ ...c, text: '', ttftMs: null, result: null })),
            });
          } else if (event.type === 'text') {
            patchColumn(event.column, (c) => ({ ...c, text: c.text + event.delta }));
          } else if (event.type === 'first-token') {
            patchColumn(event.column, (c) => ({ ...c, ttftMs: event.ttftMs }));
          } else if (event.type === 'result') {
            patchColumn(event.column, (c) => ({ ...c, result: event.result, text: event.result.text }));
          } else if (event.type === 'error') {
            update({ ...state, error: event.message });
          }
        }
        update({ ...state, status: state.error ? 'error' : 'done' });
      } catch (err) {
        if (controller.signal.aborted) update({ ...state, status: 'done' });
        else update({ ...state, status: 'error', error: err instanceof Error ? err.message : String(err) });
      }
      if (abort.current === controller) abort.current = null;
      onDone(state);
    },
    [onDone],
  );

  const stop = useCallback(() => abort.current?.abort(), []);
  const clear = useCallback(() => setRun(null), []);
  return { run, start, stop, clear };
}
