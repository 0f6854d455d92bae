/**
 * Chat's adapter over the model-call core (api/ai/run): run events → the AI SDK UI message stream (SSE,
 * docs/decisions/009 for the wire contract), and the stored message parts. The core reads the upstream to
 * the end whatever the browser does: a disconnected client only detaches the SSE writer.
 */
import type { UIMessageChunk } from 'ai';
import type { StoredPart } from '../../../db/schema/index';
import type { RunEvent, RunResult } from '../../ai/run';
import { FILL, jsonTemplate, SseWriter } from '../../lib/sse';
import type { ChatMessageMetadata } from './chat.schemas';

/** Builds the stored UI message parts from the run's events as they pass. */
export class PartsBuilder {
  private readonly parts: StoredPart[];
  private readonly open = new Map<string, StoredPart & { text: string }>();

  constructor(dataParts: StoredPart[] = []) {
    this.parts = [{ type: 'step-start' }, ...dataParts];
  }

  add(e: RunEvent): void {
    switch (e.type) {
      case 'text-start':
      case 'reasoning-start': {
        const part = { type: e.type === 'text-start' ? 'text' : 'reasoning', text: '' };
        this.open.set(`${part.type}:${e.id}`, part);
        this.parts.push(part);
        return;
      }
      case 'text':
      case 'reasoning': {
        const part = this.open.get(`${e.type}:${e.id}`);
        if (part) part.text += e.delta;
        return;
      }
      default:
        return;
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

export interface ChatStreamInput {
  messageId: string;
  startMetadata: ChatMessageMetadata;
  endMetadata(result: RunResult): ChatMessageMetadata;
  /** `data-*` parts known before the model answers (e.g. the cited sources), sent first and stored. */
  dataParts?: StoredPart[];
}

/** The UI message stream of one answer: call `onEvent` with the run's events; `body` is the SSE body. */
export function chatStream(input: ChatStreamInput): {
  body: ReadableStream<Uint8Array>;
  parts: PartsBuilder;
  onEvent(e: RunEvent): void;
} {
  const sse = new SseWriter();
  const parts = new PartsBuilder(input.dataParts);
  let textSent = false;
  const send = (chunk: UIMessageChunk, urgent = false) => sse.data(chunk, urgent);
  // Deltas are the bulk of the stream: their frames come from a template per part.
  const deltas = new Map<string, (delta: string) => string>();
  const delta = (type: 'text-delta' | 'reasoning-delta', id: string, text: string) => {
    const key = `${type}:${id}`;
    let frame = deltas.get(key);
    if (!frame) {
      frame = jsonTemplate({ type, id, delta: FILL });
      deltas.set(key, frame);
    }
    return frame(text);
  };
  send({ type: 'start', messageId: input.messageId, messageMetadata: input.startMetadata });
  send({ type: 'start-step' });
  for (const p of input.dataParts ?? []) send(p as UIMessageChunk);
  const onEvent = (e: RunEvent) => {
    parts.add(e);
    switch (e.type) {
      case 'text-start':
      case 'text-end':
      case 'reasoning-start':
      case 'reasoning-end':
        send({ type: e.type, id: e.id });
        return;
      case 'text':
        // The first text goes out at once (time to first token); later frames are batched.
        sse.data(delta('text-delta', e.id, e.delta), !textSent);
        textSent = true;
        return;
      case 'reasoning':
        sse.data(delta('reasoning-delta', e.id, e.delta));
        return;
      case 'finish': {
        const r = e.result;
        if (r.status === 'complete') {
          send({ type: 'finish-step' });
          send({ type: 'finish', finishReason: r.finishReason, messageMetadata: input.endMetadata(r) });
        } else {
          // The UI shows the failure from this metadata (status, error) and offers retry.
          send({ type: 'message-metadata', messageMetadata: input.endMetadata(r) });
          send(
            r.status === 'stopped'
              ? { type: 'abort' }
              : { type: 'error', errorText: r.error?.message ?? 'Failed.' },
          );
        }
        sse.data('[DONE]');
        sse.close();
        return;
      }
      default:
        return;
    }
  };
  return { body: sse.body, parts, onEvent };
}
