/**
 * Shared machinery of the fake AI upstreams: a real node:http server on 127.0.0.1:0, a per-test script of
 * what the next answers look like (text chunks, delays, usage, failures), and a record of every request
 * received so tests can assert keys, headers and bodies. Each wire protocol (openai.ts, google.ts, …) only
 * decides paths and how frames are encoded; timing, failures and cuts are driven here once.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Token counts in the AI SDK's normalised sense; each protocol converts them to its native shape. */
export interface ScriptUsage {
  /** All input tokens, cached ones included. */
  inputTokens: number;
  /** All output tokens, reasoning ones included. */
  outputTokens: number;
  cachedInputTokens?: number;
  reasoningTokens?: number;
}

export interface ScriptFailure {
  status: number;
  message?: string;
  /** Sent as `retry-after` (seconds) — typical with 429. */
  retryAfterSeconds?: number;
}

export interface Script {
  /** Text pieces, one frame each when streaming; joined for non-streaming answers. */
  chunks: string[];
  /** Wait before the first text frame (or before a non-streaming answer). */
  firstTokenDelayMs?: number;
  /** Wait between text frames. */
  interChunkDelayMs?: number;
  /** Defaults to 10 input tokens and one output token per chunk. */
  usage?: ScriptUsage;
  /** Send no usage at all (a server that ignores `stream_options.include_usage`). OpenAI chat only. */
  omitUsage?: boolean;
  /** Raw text written after the answer's last frame, before `[DONE]` (a malformed line, an error event). */
  afterAnswer?: string;
  /** `length` simulates hitting max tokens. */
  finishReason?: 'stop' | 'length';
  /** Answer with this HTTP error instead of a completion. */
  fail?: ScriptFailure;
  /** Accept the request and never answer (timeout tests). */
  hang?: boolean;
  /** Answer 200 with this body instead of the protocol (a proxy's HTML page, a broken server). */
  rawBody?: { contentType: string; body: string };
  /** Stream this many text frames, then destroy the socket (a cut mid-stream). */
  cutAfterChunks?: number;
  /** Stream this many text frames, then stop writing but keep the connection open. */
  hangAfterChunks?: number;
  /** Stream this many text frames, then send the protocol's own mid-stream error event and end. */
  errorAfterChunks?: number;
  /** Message of that mid-stream error. */
  errorMessage?: string;
}

export type RequestOutcome = 'completed' | 'client-closed' | 'cut' | 'failed';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** Parsed JSON when the body was JSON, else the raw text ('' for none). */
  body: unknown;
  receivedAt: number;
  /** Settles when the exchange ends: `client-closed` means the caller aborted (e.g. the user pressed stop). */
  outcome: Promise<RequestOutcome>;
}

/** A model entry served by the protocol's model-list endpoint. */
export interface FakeModel {
  id: string;
  name?: string;
  contextWindow?: number;
  maxOutputTokens?: number;
}

export const DEFAULT_SCRIPT: Script = { chunks: ['Hello', ' from', ' the', ' fake', ' model.'] };

export function usageOf(script: Script): Required<ScriptUsage> {
  const u = script.usage ?? { inputTokens: 10, outputTokens: script.chunks.length };
  return { cachedInputTokens: 0, reasoningTokens: 0, ...u };
}

/** How one protocol frames a streamed answer. Strings are written as is; Uint8Array for binary framing. */
export interface StreamEncoder {
  contentType: string;
  start(): Array<string | Uint8Array>;
  chunk(text: string, index: number): Array<string | Uint8Array>;
  end(): Array<string | Uint8Array>;
  /** The protocol's in-stream error event (e.g. an SSE `error` event, an event-stream exception frame). */
  error(message: string): Array<string | Uint8Array>;
}

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  body: unknown;
  script: Script;
  record: RecordedRequest;
  settle(outcome: RequestOutcome): void;
}

export type ProtocolHandler = (ex: Exchange) => Promise<void>;

/** Waits, but wakes early when the client goes away so a closed test leaves no timers behind. */
const sleep = (ms: number, res: ServerResponse) =>
  new Promise<void>((resolve) => {
    if (ms <= 0) return resolve();
    const onClose = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      res.off('close', onClose);
      resolve();
    }, ms);
    res.once('close', onClose);
  });

export class FakeController {
  readonly requests: RecordedRequest[] = [];
  models: FakeModel[] = [
    { id: 'fake-large', name: 'Fake Large', contextWindow: 128_000, maxOutputTokens: 16_384 },
    { id: 'fake-small', name: 'Fake Small', contextWindow: 32_000, maxOutputTokens: 4_096 },
  ];
  private defaultScript: Script = DEFAULT_SCRIPT;
  private readonly queue: Script[] = [];
  private readonly waiters: Array<() => void> = [];

  /** The answer for every following request (until reset). */
  script(script: Script): this {
    this.defaultScript = script;
    return this;
  }

  /** One-shot answers, consumed in order before the default script applies again. */
  enqueue(...scripts: Script[]): this {
    this.queue.push(...scripts);
    return this;
  }

  reset(): void {
    this.defaultScript = DEFAULT_SCRIPT;
    this.queue.length = 0;
    this.requests.length = 0;
  }

  lastRequest(): RecordedRequest {
    const r = this.requests.at(-1);
    if (!r) throw new Error('the fake upstream received no request');
    return r;
  }

  /** Resolves once `count` requests in total have arrived. */
  async waitForRequests(count: number, timeoutMs = 5_000): Promise<RecordedRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} requests, got ${this.requests.length}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.requests.slice(0, count);
  }

  /** @internal the protocol server takes the next script per completion request. */
  takeScript(): Script {
    return this.queue.shift() ?? this.defaultScript;
  }

  /** @internal */
  recordRequest(r: RecordedRequest): void {
    this.requests.push(r);
    for (const w of this.waiters.splice(0)) w();
  }
}

/** Writes a scripted stream with the protocol's encoder, honouring delays, cuts and hangs. */
export async function streamScript(ex: Exchange, encoder: StreamEncoder, status = 200): Promise<void> {
  const { res, script } = ex;
  res.writeHead(status, {
    'content-type': encoder.contentType,
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const write = (frames: Array<string | Uint8Array>) => {
    for (const f of frames) res.write(f);
  };
  write(encoder.start());
  // Flush headers and the opening frames so the client sees the response begin before the first token.
  await sleep(script.firstTokenDelayMs ?? 0, res);
  for (const [i, text] of script.chunks.entries()) {
    if (res.destroyed) return ex.settle('client-closed');
    if (i > 0) await sleep(script.interChunkDelayMs ?? 0, res);
    if (res.destroyed) return ex.settle('client-closed');
    if (script.cutAfterChunks !== undefined && i >= script.cutAfterChunks) return cut(ex);
    if (script.hangAfterChunks !== undefined && i >= script.hangAfterChunks) return;
    if (script.errorAfterChunks !== undefined && i >= script.errorAfterChunks)
      return streamError(ex, encoder);
    write(encoder.chunk(text, i));
  }
  if (script.cutAfterChunks !== undefined && script.cutAfterChunks >= script.chunks.length) return cut(ex);
  if (script.errorAfterChunks !== undefined && script.errorAfterChunks >= script.chunks.length) {
    return streamError(ex, encoder);
  }
  write(encoder.end());
  res.end();
  ex.settle('completed');
}

function streamError(ex: Exchange, encoder: StreamEncoder): void {
  for (const f of encoder.error(ex.script.errorMessage ?? 'fake upstream failed mid-stream')) ex.res.write(f);
  ex.res.end();
  ex.settle('failed');
}

/**
 * Drops the connection without ending the response (no final chunk): what a crashed upstream or a broken
 * network looks like. Frames already written are flushed first, or destroy() would discard them.
 */
async function cut(ex: Exchange): Promise<void> {
  const socket = ex.res.socket;
  if (socket && !socket.destroyed) await new Promise<void>((resolve) => socket.write('', () => resolve()));
  ex.settle('cut');
  socket?.destroy();
}

/** Sends a JSON answer after the script's first-token delay. */
export async function sendJson(ex: Exchange, value: unknown, status = 200): Promise<void> {
  await sleep(ex.script.firstTokenDelayMs ?? 0, ex.res);
  if (ex.res.destroyed) return ex.settle('client-closed');
  ex.res.writeHead(status, { 'content-type': 'application/json' });
  ex.res.end(JSON.stringify(value));
  ex.settle(status < 400 ? 'completed' : 'failed');
}

/** Applies `fail` and `hang` from the script. Returns true when the request was fully handled. */
export function handleFailureModes(
  ex: Exchange,
  errorBody: (status: number, message: string) => unknown,
  extraHeaders: Record<string, string> = {},
): boolean {
  const { script, res } = ex;
  // Hung exchanges settle as `client-closed` when the caller gives up (or the fake closes).
  if (script.hang) return true;
  if (script.rawBody) {
    res.writeHead(200, { 'content-type': script.rawBody.contentType });
    res.end(script.rawBody.body);
    ex.settle('completed');
    return true;
  }
  if (script.fail) {
    const { status, message = `fake upstream error ${status}`, retryAfterSeconds } = script.fail;
    const headers: Record<string, string> = { 'content-type': 'application/json', ...extraHeaders };
    if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
    res.writeHead(status, headers);
    res.end(JSON.stringify(errorBody(status, message)));
    ex.settle('failed');
    return true;
  }
  return false;
}

export interface FakeServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the HTTP server. `route` returns the handler for a request, or null for a 404. `isCompletion`
 * requests consume a script; model listings and the like do not.
 */
export async function startFakeServer(
  controller: FakeController,
  route: (method: string, url: URL) => { handler: ProtocolHandler; consumesScript: boolean } | null,
): Promise<FakeServer> {
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = raw;
    if (raw && (req.headers['content-type'] ?? '').includes('json')) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    let settle!: (o: RequestOutcome) => void;
    let settled = false;
    const outcome = new Promise<RequestOutcome>((resolve) => {
      settle = (o) => {
        if (settled) return;
        settled = true;
        resolve(o);
      };
    });
    res.once('close', () => {
      if (!res.writableFinished) settle('client-closed');
    });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
      receivedAt: Date.now(),
      outcome,
    };
    controller.recordRequest(record);
    const match = route(record.method, url);
    if (!match) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { message: `fake upstream: no route ${record.method} ${url.pathname}` } }),
      );
      settle('failed');
      return;
    }
    const script = match.consumesScript ? controller.takeScript() : { chunks: [] };
    try {
      await match.handler({ req, res, url, body, script, record, settle });
    } catch (err) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `fake upstream crashed: ${(err as Error).message}` } }));
      settle('failed');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
