/**
 * The transport under the AI SDK providers: `fetch` semantics on node:http(s) with keep-alive agents.
 * Node's built-in fetch (undici) costs ~0.3–0.5 ms more CPU per model call and as much latency before the
 * first token (measured against a local upstream; docs/decisions/013-hot-path-caches-and-relay-cost.md).
 * It covers what provider calls use: a method, headers, a string or byte body, an AbortSignal, and a
 * streamed response body (gzip/deflate/br decoded). Redirects are not followed (model APIs do not redirect).
 * Failures look like undici's, so the SDK words and retries them the same way: a network error rejects with
 * `TypeError('fetch failed', { cause })`, an abort with an `AbortError`.
 * Bounded like undici's defaults: a connect timeout, a timeout until the response headers, a cap on sockets
 * per origin; HTTPS_PROXY / HTTP_PROXY / NO_PROXY are honoured (upstream-proxy.ts); a request that fails on
 * a reused keep-alive socket before any answer (the upstream closed it while idle) is retried once on a new one.
 * The body's idle and total timeouts belong to the model-call core (api/ai/run/model-run.ts).
 */
import {
  type ClientRequest,
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { TunnelAgent } from './tunnel-agent';
import {
  proxyAuthorization,
  proxyFor,
  proxySettingsFromEnv,
  UPSTREAM_DEFAULTS,
  type UpstreamOptions,
} from './upstream-options';

export { UPSTREAM_DEFAULTS, type UpstreamOptions };

/** A failure with undici's error codes, so the SDK's retry logic and our wording treat it as a timeout. */
const timeoutError = (code: 'UND_ERR_CONNECT_TIMEOUT' | 'UND_ERR_HEADERS_TIMEOUT', ms: number) =>
  Object.assign(
    new Error(
      code === 'UND_ERR_CONNECT_TIMEOUT'
        ? `Connecting to the provider took longer than ${ms} ms`
        : `The provider sent no answer within ${ms} ms`,
    ),
    { code },
  );

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

interface Transport {
  request: typeof httpRequest;
  agent: HttpAgent;
  /** Request options addressing the proxy (plain http through HTTP_PROXY), else the target itself. */
  via?: URL;
}

/** A `fetch` for provider calls with its own connection pools, timeouts and proxy (see the header). */
export function createHttpFetch(options: UpstreamOptions): typeof globalThis.fetch {
  const agentOptions = { keepAlive: true, maxFreeSockets: 64, maxSockets: options.maxSockets };
  const direct = {
    'http:': new HttpAgent(agentOptions),
    'https:': new HttpsAgent({ ...agentOptions, ca: options.ca }),
  };
  const tunnels = new Map<string, TunnelAgent>();
  const transportFor = (url: URL): Transport => {
    const proxy = proxyFor(url, options.proxy);
    if (url.protocol === 'https:') {
      if (!proxy) return { request: httpsRequest, agent: direct['https:'] };
      let agent = tunnels.get(proxy.href);
      if (!agent) {
        agent = new TunnelAgent(proxy, {
          ...agentOptions,
          ca: options.ca,
          connectTimeoutMs: options.connectTimeoutMs,
        });
        tunnels.set(proxy.href, agent);
      }
      return { request: httpsRequest, agent };
    }
    return { request: httpRequest, agent: direct['http:'], via: proxy ?? undefined };
  };

  return ((input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    if (input instanceof Request) return globalThis.fetch(input, init); // not what providers send; stay correct
    const url = new URL(input);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return globalThis.fetch(input, init);
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const body = bodyBytes(init.body);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const transport = transportFor(url);
    const target: RequestOptions = { method: init.method ?? 'GET', headers, agent: transport.agent };
    if (transport.via) {
      const auth = proxyAuthorization(transport.via);
      Object.assign(target, {
        host: transport.via.hostname,
        port: transport.via.port || 80,
        path: url.href,
        headers: { ...headers, host: url.host, ...(auth ? { 'proxy-authorization': auth } : {}) },
      });
    }

    const attempt = (retried: boolean): Promise<Response> =>
      new Promise<Response>((resolve, reject) => {
        let answered = false;
        const req: ClientRequest = transport.via ? transport.request(target) : transport.request(url, target);
        const timers: NodeJS.Timeout[] = [];
        const clearTimers = () => {
          for (const t of timers) clearTimeout(t);
        };
        const fail = (code: Parameters<typeof timeoutError>[0], ms: number) => () =>
          req.destroy(timeoutError(code, ms));
        timers.push(
          setTimeout(fail('UND_ERR_HEADERS_TIMEOUT', options.headersTimeoutMs), options.headersTimeoutMs),
        );
        req.once('socket', (socket: Socket) => {
          if (!socket.connecting) return;
          const connecting = setTimeout(
            fail('UND_ERR_CONNECT_TIMEOUT', options.connectTimeoutMs),
            options.connectTimeoutMs,
          );
          timers.push(connecting);
          socket.once('connect', () => clearTimeout(connecting));
        });
        req.once('response', (res) => {
          answered = true;
          clearTimers();
          const source = decoded(res);
          resolve(
            new Response(
              res.statusCode === 204 || res.statusCode === 304 ? null : bodyOf(res, source, signal),
              { status: res.statusCode, statusText: res.statusMessage, headers: headersOf(res) },
            ),
          );
        });
        const onAbort = () => req.destroy(abortError(signal!));
        signal?.addEventListener('abort', onAbort, { once: true });
        req.once('close', () => {
          clearTimers();
          signal?.removeEventListener('abort', onAbort);
        });
        req.once('error', (err: Error & { code?: string }) => {
          clearTimers();
          if (signal?.aborted) return reject(abortError(signal));
          // The upstream closed an idle pooled socket as we reused it: nothing was answered, try a fresh one.
          if (!answered && !retried && req.reusedSocket && err.code === 'ECONNRESET')
            return resolve(attempt(true));
          reject(new TypeError('fetch failed', { cause: err }));
        });
        req.end(body);
      });
    return attempt(false);
  }) as typeof globalThis.fetch;
}

/** The transport with the defaults and this process's proxy variables (services pass their configured one). */
export const httpFetch = createHttpFetch({ ...UPSTREAM_DEFAULTS, proxy: defaultProxy() });

/** A malformed proxy variable is reported by the config loader (api/config.ts); here it means none. */
function defaultProxy() {
  try {
    return proxySettingsFromEnv(process.env);
  } catch {
    return proxySettingsFromEnv({});
  }
}
