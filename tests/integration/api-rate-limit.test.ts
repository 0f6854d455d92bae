/**
 * Per-minute budgets on /api/v1: 60 requests per key by default (per-key overrides), per user for sessions,
 * RateLimit-* and X-RateLimit-* headers, 429 + Retry-After on the 61st — in process, and across two app
 * instances sharing one Redis (redis://127.0.0.1:6379, a unique key prefix per run). With Redis unreachable
 * the insurance limiter still counts.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { createLogger } from '../../api/lib/logger';
import { ApiRateLimiter } from '../../api/lib/rate-limit';
import { createServices } from '../../api/services';
import { startTestApp, type TestApp } from '../helpers/test-app';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const log = createLogger({ level: 'silent' });

async function firstUser(app: TestApp) {
  const { session } = await app.services.auth.signUp(app.services.systemCtx(), {
    email: 'admin@district.example',
    password: 'Correct-horse-battery-staple-42',
    name: 'Admin',
  });
  return session.cookie.split(';')[0]!;
}

const key = async (app: TestApp, rateLimitRpm?: number) =>
  (
    await app.services.apiKeys.createForEmail(app.services.systemCtx(), 'admin@district.example', {
      name: 'rl',
      scopes: ['*'],
      rateLimitRpm,
    })
  ).secret;

const get = (url: string, path: string, headers: Record<string, string>) =>
  fetch(`${url}${path}`, { headers });

describe('in-process limits', () => {
  let app: TestApp;
  let cookie: string;
  beforeAll(async () => {
    app = await startTestApp();
    cookie = await firstUser(app);
  });
  afterAll(async () => app?.close());

  it('lets 60 requests a minute through per key and answers the 61st 429 with Retry-After', async () => {
    const secret = await key(app);
    const auth = { authorization: `Bearer ${secret}` };
    for (let i = 1; i <= 60; i++) {
      const res = await get(app.url, '/api/v1/me', auth);
      expect(res.status).toBe(200);
      if (i === 1 || i === 60) {
        expect(res.headers.get('ratelimit-limit')).toBe('60');
        expect(res.headers.get('ratelimit-remaining')).toBe(String(60 - i));
        expect(res.headers.get('x-ratelimit-limit')).toBe('60');
        expect(res.headers.get('x-ratelimit-remaining')).toBe(String(60 - i));
        expect(Number(res.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
        expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
      }
    }
    const limited = await get(app.url, '/api/v1/me', auth);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limit:api');
    // The OpenAI-compatible paths answer the same 429 in OpenAI's shape.
    const openai = await get(app.url, '/api/v1/models', auth);
    expect(openai.status).toBe(429);
    expect(await openai.json()).toMatchObject({
      error: { type: 'rate_limit_error', code: 'rate_limit_exceeded' },
    });
    // Another key of the same user has its own budget.
    expect((await get(app.url, '/api/v1/me', { authorization: `Bearer ${await key(app)}` })).status).toBe(
      200,
    );
  });

  it('honours a per-key override', async () => {
    const auth = { authorization: `Bearer ${await key(app, 3)}` };
    for (let i = 0; i < 3; i++) expect((await get(app.url, '/api/v1/me', auth)).status).toBe(200);
    expect((await get(app.url, '/api/v1/me', auth)).status).toBe(429);
  });

  it('counts browser sessions per user, and leaves anonymous health checks alone', async () => {
    for (let i = 0; i < 60; i++) expect((await get(app.url, '/api/v1/me', { cookie })).status).toBe(200);
    expect((await get(app.url, '/api/v1/me', { cookie })).status).toBe(429);
    // The UI's own API is not the public API: not counted.
    expect((await get(app.url, '/api/auth/session', { cookie })).headers.get('ratelimit-limit')).toBeNull();
    for (let i = 0; i < 70; i++) expect((await get(app.url, '/api/v1/health', {})).status).toBe(200);
  });
});

describe('shared across instances through Redis', () => {
  let a: TestApp;
  let bUrl: string;
  let closeB: () => Promise<void>;
  const prefix = `aistudio-test-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    a = await startTestApp({ env: { REDIS_URL, REDIS_KEY_PREFIX: prefix } });
    await firstUser(a);
    // A second instance: its own services (own limiter and Redis connection) on the same database.
    const services = createServices({ config: a.services.config, database: a.database, log });
    const server = serve({ fetch: createApp({ services }).fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    bUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    closeB = async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.apiKeys.close();
      await services.rateLimiter.close();
    };
  });
  afterAll(async () => {
    await closeB?.();
    await a?.close();
  });

  it('holds the 60-per-minute limit across two instances', async () => {
    expect(a.services.rateLimiter.backend).toBe('redis');
    const auth = { authorization: `Bearer ${await key(a)}` };
    for (let i = 0; i < 60; i++) {
      const res = await get(i % 2 ? bUrl : a.url, '/api/v1/me', auth);
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-remaining')).toBe(String(59 - i));
    }
    const fromA = await get(a.url, '/api/v1/me', auth);
    const fromB = await get(bUrl, '/api/v1/me', auth);
    expect([fromA.status, fromB.status]).toEqual([429, 429]);
    expect(Number(fromB.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('Redis unreachable', () => {
  it('falls back to the in-memory insurance limiter, which still limits', async () => {
    const limiter = new ApiRateLimiter({ redisUrl: 'redis://127.0.0.1:1', keyPrefix: 'unreachable', log });
    try {
      for (let i = 0; i < 5; i++) expect((await limiter.consume('key:x', 5)).allowed).toBe(true);
      const sixth = await limiter.consume('key:x', 5);
      expect(sixth).toMatchObject({ allowed: false, remaining: 0 });
      expect(sixth.resetMs).toBeGreaterThan(0);
    } finally {
      await limiter.close();
    }
  });
});
