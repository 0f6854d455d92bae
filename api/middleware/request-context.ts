/**
 * First middleware: request id (accepted from `x-request-id` when sane, else generated, always echoed),
 * a child logger per request (made only if something is logged), the service container, and one JSON log
 * line per request (at info level). The CSP nonce is made on demand (middleware/security-headers.ts).
 */
import { randomUUID } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createMiddleware } from 'hono/factory';
import { createCtx } from '../lib/ctx';
import type { AppEnv } from '../lib/hono-env';
import { lazyChild } from '../lib/logger';
import type { Services } from '../services';
import { setResponseHeaders } from './security-headers';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function clientIp(c: Parameters<Parameters<typeof createMiddleware<AppEnv>>[0]>[0]): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

export function requestContext(services: Services) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && SAFE_ID.test(incoming) ? incoming : randomUUID();
    const log = lazyChild(services.log, { requestId });
    c.set('requestId', requestId);
    c.set('log', log);
    c.set('services', services);
    c.set('ctx', createCtx({ db: services.database.db, log, requestId, ip: clientIp(c) }));
    const started = performance.now();
    try {
      await next();
    } finally {
      // After next(): a handler may have returned a fresh Response (Remix does).
      setResponseHeaders(c, [['x-request-id', requestId]]);
      if (services.log.isLevelEnabled('info'))
        log.info(
          {
            method: c.req.method,
            path: c.req.path,
            status: c.res.status,
            durationMs: Math.round((performance.now() - started) * 10) / 10,
            actorId: c.var.ctx?.actor.id ?? undefined,
          },
          'request',
        );
    }
  });
}
