/**
 * Headers every response of a request carries (security headers, the request id, rate-limit headers).
 * Behind @hono/node-server they go on the Node response before the handler runs: Node merges them into
 * whatever Response the handler returns (JSON, a stream, Remix), so that response is never read, copied or
 * turned into a web `Headers` (ADR 019). Under `app.request` (no Node response) they are set on the
 * Response afterwards. Either way a header the handler set itself wins.
 */
import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';
import type { AppEnv } from './hono-env';

/** The Node response under this request, while its headers can still be set (absent under `app.request`). */
function nodeResponse(c: Context<AppEnv>): ServerResponse | null {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  return outgoing && !outgoing.headersSent ? outgoing : null;
}

/**
 * Runs the rest of the chain with `headers` on its response, unless the handler set one of them itself:
 * on the Node response before it runs when there is one, else on the Response it produced.
 */
export function sendWithResponse(
  c: Context<AppEnv>,
  next: () => Promise<void>,
  headers: ReadonlyArray<readonly [string, string]>,
): Promise<void> {
  const outgoing = nodeResponse(c);
  if (!outgoing) return next().finally(() => setResponseHeaders(c, headers, { keepExisting: true }));
  for (const [name, value] of headers) outgoing.setHeader(name, value);
  // The chain's own promise, not another around it: each async layer a request passes costs (ADR 019).
  return next();
}

/**
 * Sets headers on the response the handler produced, in place when its headers are mutable (ours are);
 * a Response with immutable headers (a proxied fetch) falls back to `c.header`, which copies it.
 * `keepExisting`: a header the response already has stays as it is.
 */
export function setResponseHeaders(
  c: Context<AppEnv>,
  headers: Iterable<readonly [string, string]>,
  options: { keepExisting?: boolean } = {},
): void {
  let target: Headers | null = c.res.headers;
  for (const [name, value] of headers) {
    if (options.keepExisting && c.res.headers.has(name)) continue;
    if (target) {
      try {
        target.set(name, value);
        continue;
      } catch {
        target = null;
      }
    }
    c.header(name, value);
  }
}
