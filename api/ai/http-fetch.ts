/**
 * The transport under the AI SDK providers: `fetch` semantics on node:http(s) with keep-alive agents.
 * Node's built-in fetch (undici) costs ~0.3–0.5 ms more CPU per model call and as much latency before the
 * first token (measured against a local upstream; docs/decisions/013-hot-path-caches-and-relay-cost.md).
 * It covers what provider calls use: a method, headers, a string or byte body, an AbortSignal, and a
 * streamed response body (gzip/deflate/br decoded). Redirects are not followed (model APIs do not redirect).
 * Failures look like undici's, so the SDK words and retries them the same way: a network error rejects with
 * `TypeError('fetch failed', { cause })`, an abort with an `AbortError`.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

const agents = {
  'http:': new HttpAgent({ keepAlive: true, maxFreeSockets: 64 }),
  'https:': new HttpsAgent({ keepAlive: true, maxFreeSockets: 64 }),
};

const abortError = (signal: AbortSignal) =>
  signal.reason instanceof Error && signal.reason.name === 'AbortError'
    ? signal.reason
    : new DOMException('This operation was aborted', 'AbortError');

function decoded(res: IncomingMessage): Readable {
  switch (String(res.headers['content-encoding'] ?? '').toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return res.pipe(createGunzip());
    case 'deflate':
      return res.pipe(createInflate());
    case 'br':
      return res.pipe(createBrotliDecompress());
    default:
      return res;
  }
}

/**
 * A web stream over the response body, with backpressure (the socket pauses while 8 chunks wait unread).
 * The chunks one socket read yields (a chunked response gives one per HTTP chunk, often one per SSE event)
 * are passed on as one, so the SDK's decoder and parser stages run once per read, not once per chunk.
 */
function bodyOf(
  res: IncomingMessage,
  source: Readable,
  signal: AbortSignal | undefined,
): ReadableStream<Uint8Array> {
  let done = false;
  let pending: Buffer[] = [];
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const flush = () => {
          if (done || pending.length === 0) return;
          const data = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
          pending = [];
          controller.enqueue(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
          if ((controller.desiredSize ?? 1) <= 0) source.pause();
        };
        const fail = (err: unknown) => {
          if (done) return;
          done = true;
          controller.error(signal?.aborted ? abortError(signal) : err);
        };
        source.on('data', (chunk: Buffer) => {
          if (done) return;
          if (pending.push(chunk) === 1) queueMicrotask(flush);
        });
        source.once('end', () => {
          flush();
          if (done) return;
          done = true;
          controller.close();
        });
        source.once('error', (err) => fail(new TypeError('terminated', { cause: err })));
        // A connection cut before the body ended is an error (as undici reports it), not a short body.
        res.once('close', () => {
          if (!res.complete) fail(new TypeError('terminated', { cause: new Error('other side closed') }));
        });
      },
      pull() {
        source.resume();
      },
      cancel() {
        done = true;
        res.destroy();
      },
    },
    new CountQueuingStrategy({ highWaterMark: 8 }),
  );
}

function headersOf(res: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

function bodyBytes(body: BodyInit | null | undefined): string | Uint8Array | undefined {
  if (body == null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('httpFetch sends string or byte bodies only');
}

export const httpFetch = ((input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
  if (input instanceof Request) return globalThis.fetch(input, init); // not what providers send; stay correct
  const url = new URL(input);
  const agent = agents[url.protocol as keyof typeof agents];
  if (!agent) return globalThis.fetch(input, init);
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  const body = bodyBytes(init.body);
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => {
    headers[name] = value;
  });
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));

  return new Promise<Response>((resolve, reject) => {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(url, { method: init.method ?? 'GET', headers, agent }, (res) => {
      const source = decoded(res);
      resolve(
        new Response(res.statusCode === 204 || res.statusCode === 304 ? null : bodyOf(res, source, signal), {
          status: res.statusCode,
          statusText: res.statusMessage,
          headers: headersOf(res),
        }),
      );
    });
    const onAbort = () => req.destroy(abortError(signal!));
    signal?.addEventListener('abort', onAbort, { once: true });
    req.once('close', () => signal?.removeEventListener('abort', onAbort));
    req.once('error', (err) =>
      reject(signal?.aborted ? abortError(signal) : new TypeError('fetch failed', { cause: err })),
    );
    req.end(body);
  });
}) as typeof globalThis.fetch;
