/**
 * The one Server-Sent Events encoder (chat's UI message stream, compare's events, the OpenAI chunks): a
 * web `ReadableStream` body fed with `data:` frames, detachable from the client.
 * - Frames are written together, not one socket write per token (under load, writes were most of the
 *   relay's cost): a frame marked `urgent` (the first text) goes out at the end of its event-loop turn,
 *   others at most every `flushIntervalMs` — below a display frame, so streaming looks the same.
 * - When the client goes away the writer detaches (`attached` turns false) and `onCancel` runs; writing
 *   to a detached writer is a no-op, so a producer that must finish (chat, the gateway) just carries on.
 */
const encoder = new TextEncoder();

export interface SseWriterOptions {
  /** Frames after an urgent one are written at most this often (0 = at the end of each turn). */
  flushIntervalMs?: number;
  /** The client closed the body. */
  onCancel?: () => void;
}

export class SseWriter {
  readonly body: ReadableStream<Uint8Array>;
  private controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  private pending = '';
  private queued = false;
  private timer: NodeJS.Timeout | undefined;
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private readonly interval: number;

  constructor(options: SseWriterOptions = {}) {
    this.interval = options.flushIntervalMs ?? 10;
    this.body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
      },
      cancel: () => {
        this.controller = null;
        clearTimeout(this.timer);
        options.onCancel?.();
      },
    });
  }

  get attached(): boolean {
    return this.controller !== null;
  }

  /** Queues one `data:` frame: a string as is (`[DONE]`, a `jsonTemplate`'s text), anything else as JSON. */
  data(value: unknown, urgent = false): void {
    if (!this.controller) return;
    this.pending += `data: ${typeof value === 'string' ? value : JSON.stringify(value)}\n\n`;
    if (urgent && this.timer) {
      clearTimeout(this.timer); // an urgent frame does not wait for the interval
      this.timer = undefined;
      this.queued = false;
    }
    if (this.queued) return;
    this.queued = true;
    const wait = urgent ? 0 : this.lastFlushAt + this.interval - performance.now();
    if (wait <= 0) setImmediate(this.flush);
    else this.timer = setTimeout(this.flush, wait);
  }

  /** Writes what is queued and ends the body. */
  close(): void {
    this.flush();
    const c = this.controller;
    this.controller = null;
    try {
      c?.close();
    } catch {
      // already closed by a cancel racing the end
    }
  }

  private readonly flush = (): void => {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queued = false;
    this.lastFlushAt = performance.now();
    const frames = this.pending;
    this.pending = '';
    if (!this.controller || !frames) return;
    try {
      this.controller.enqueue(encoder.encode(frames));
    } catch {
      this.controller = null;
    }
  };
}

/** Marks the one string a `jsonTemplate` fills in. */
export const FILL = '\u0000fill\u0000';

/**
 * A frame serialised once with one string left open (`FILL`, anywhere in it): each call splices the JSON of
 * its value in, giving the same text as `JSON.stringify` of the whole object without building and
 * serialising an object per token (the per-chunk cost of a relayed stream, ADR 020).
 */
export function jsonTemplate(shape: unknown): (value: string) => string {
  const [head, tail, ...rest] = JSON.stringify(shape).split(JSON.stringify(FILL));
  if (tail === undefined || rest.length) throw new Error('jsonTemplate: FILL must appear exactly once');
  return (value) => head + JSON.stringify(value) + tail;
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  'x-accel-buffering': 'no',
} as const;
