/**
 * First middleware: request id (accepted from `x-request-id` when sane, else generated, always echoed),
 * a child logger per request (made only if something is logged), the service container, the client's IP and
 * protocol (forwarding headers only from the proxies TRUST_PROXY names), and one JSON log line per request
 * (at info level). The CSP nonce is made on demand (middleware/security-headers.ts).
 */
import { randomUUID } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createMiddleware } from 'hono/factory';
import { createCtx } from '../lib/ctx';
import type { AppEnv } from '../lib/hono-env';
import { type Logger, lazyChild } from '../lib/logger';
import { sendWithResponse } from '../lib/response-headers';
import { type ForwardedInfo, forwardedInfo, type TrustProxy } from '../lib/trust-proxy';
import type { Services } from '../services';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

type C = Parameters<Parameters<typeof createMiddleware<AppEnv>>[0]>[0];

function peerAddress(c: C): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

function client(c: C, trust: TrustProxy): ForwardedInfo {
  return forwardedInfo(
    trust,
    peerAddress(c),
    { forwardedFor: c.req.header('x-forwarded-for'), forwardedProto: c.req.header('x-forwarded-proto') },
    c.req.url.startsWith('https:') ? 'https' : 'http',
  );
}

/** Runs the chain, then writes the request's log line (also when the chain failed). */
async function withRequestLog(c: C, log: Logger, run: () => Promise<void>): Promise<void> {
  const started = performance.now();
  try {
    await run();
  } finally {
    log.info(
      {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        actorId: c.get('ctx')?.actor.id ?? undefined,
      },
      'request',
    );
  }
}

export function requestContext(services: Services) {
  return createMiddleware<AppEnv>((c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && SAFE_ID.test(incoming) ? incoming : randomUUID();
    const log = lazyChild(services.log, { requestId });
    c.set('requestId', requestId);
    c.set('log', log);
    c.set('services', services);
    const { ip, protocol } = client(c, services.config.trustProxy);
    c.set('protocol', protocol);
    c.set('ctx', createCtx({ db: services.database.db, log, requestId, ip }));
    const run = () => sendWithResponse(c, next, [['x-request-id', requestId]]);
    // Without the request log line, the chain's own promise is returned: no layer around it (ADR 019).
    return services.log.isLevelEnabled('info') ? withRequestLog(c, log, run) : run();
  });
}
