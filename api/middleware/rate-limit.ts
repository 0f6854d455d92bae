/**
 * Per-minute budgets on the public API and MCP: an API key by its own limit (default 60), an OAuth token per
 * client + user by its client's limit (default 60), a person signed in by session per user. Anonymous
 * calls (only /api/v1/health is open) are not counted. Every answer carries RateLimit-* (IETF draft, reset
 * in seconds) and X-RateLimit-* (reset as a Unix time) headers; over the budget → 429 `rate_limit:api`
 * with Retry-After.
 * Requests made with a key are also logged (route pattern, method, status, latency) through the key
 * service's batching recorder, after the response is produced.
 */
import { createMiddleware } from 'hono/factory';
import { matchedRoutes } from 'hono/route';
import { AppError } from '../lib/errors';
import type { AppEnv } from '../lib/hono-env';
import type { RateDecision } from '../lib/rate-limit';
import { sendWithResponse } from '../lib/response-headers';

export const DEFAULT_RPM = 60;

function headersFor(d: RateDecision): Array<[string, string]> {
  const limit = String(d.limit);
  const remaining = String(d.remaining);
  return [
    ['RateLimit-Limit', limit],
    ['RateLimit-Remaining', remaining],
    ['RateLimit-Reset', String(Math.max(0, Math.ceil(d.resetMs / 1000)))],
    ['X-RateLimit-Limit', limit],
    ['X-RateLimit-Remaining', remaining],
    ['X-RateLimit-Reset', String(Math.ceil((Date.now() + d.resetMs) / 1000))],
  ];
}

export function apiRateLimit() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const { actor } = c.get('ctx');
    const services = c.get('services');
    if (actor.type === 'anonymous' || actor.id === null) return next();
    const started = performance.now();
    const subject = actor.apiKeyId
      ? `key:${actor.apiKeyId}`
      : actor.oauthClientId
        ? `oauth:${actor.oauthClientId}:${actor.id}`
        : `user:${actor.id}`;
    const counted = services.rateLimiter.consume(subject, c.get('rateLimitRpm') ?? DEFAULT_RPM);
    const decision = counted instanceof Promise ? await counted : counted;
    const headers = headersFor(decision);
    const record = (status: number) => {
      if (!actor.apiKeyId) return;
      services.apiKeys.usage.record({
        apiKeyId: actor.apiKeyId,
        // The route pattern that answers (middleware and catch-alls are registered as ALL).
        endpoint: matchedRoutes(c).find((r) => r.method !== 'ALL')?.path ?? '(no route)',
        method: c.req.method,
        status,
        latencyMs: Math.round(performance.now() - started),
      });
    };
    if (!decision.allowed) {
      record(429);
      const retryAfter = Math.max(1, Math.ceil(decision.resetMs / 1000));
      throw new AppError('rate_limit:api', `Rate limit of ${decision.limit} requests per minute reached`, {
        headers: { ...Object.fromEntries(headers), 'Retry-After': String(retryAfter) },
        details: { limit: decision.limit, retryAfterSeconds: retryAfter },
      });
    }
    // On every answer, streams and errors included (the error handler has made c.res when next returns).
    await sendWithResponse(c, next, headers);
    record(c.res.status);
  });
}
