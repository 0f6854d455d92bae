/**
 * A response sent before its request body arrived (an early 401, 403, 413 or 415) closes the connection.
 * @hono/node-server drains such a body for at most 500 ms and then destroys the socket, by which time a
 * keep-alive client may already have sent its next request on it, which then fails ("other side closed").
 * `Connection: close` tells the client not to reuse the socket. A small body (the common refused JSON
 * request) is drained in time, so its connection is kept.
 */
import type { IncomingMessage } from 'node:http';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../lib/hono-env';

const DRAINED_IN_TIME_BYTES = 64 * 1024;

export const closeIfBodyUnread = createMiddleware<AppEnv>((c, next) => {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  // No body (most requests): nothing can be left unread, and no layer is added around the chain.
  if (
    !incoming ||
    (incoming.headers['content-length'] === undefined && !incoming.headers['transfer-encoding'])
  )
    return next();
  return next().then(() => {
    if (incoming.complete) return;
    const length = Number(incoming.headers['content-length']);
    if (!(length <= DRAINED_IN_TIME_BYTES)) c.header('Connection', 'close'); // chunked: NaN, closes
  });
});
