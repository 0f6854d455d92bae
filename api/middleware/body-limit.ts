/**
 * Refuses a request body larger than `maxBytes` with 413 `payload_too_large:request`; GET and HEAD have none.
 * Behind @hono/node-server a body with a declared Content-Length (and no Transfer-Encoding) is judged from
 * Node's parsed headers: Node's parser never reads past that length, and the body is then read straight from
 * the socket by @hono/node-server's fast path. Asking the web Request for its body (as hono's `bodyLimit`
 * does to count it) would build a full Request and a web stream for every POST, ~5 % of a chat request's
 * CPU (ADR 020). A chunked body, or a request without Node's (`app.request`), is counted as it streams.
 */
import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../lib/errors';
import type { AppEnv } from '../lib/hono-env';

export function requestBodyLimit(maxMb: number): MiddlewareHandler<AppEnv> {
  const maxBytes = maxMb * 1024 * 1024;
  const tooLarge = (): never => {
    throw new AppError('payload_too_large:request', `The request body is larger than ${maxMb} MB`);
  };
  const counted = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const headers = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.headers;
    const declared = headers && !headers['transfer-encoding'] ? headers['content-length'] : undefined;
    if (declared === undefined) return counted(c, next);
    if (Number(declared) > maxBytes) tooLarge();
    return next();
  };
}
