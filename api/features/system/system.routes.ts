import { createRoute, z } from '@hono/zod-openapi';

export const HealthResponse = z
  .object({ status: z.literal('ok'), uptimeSeconds: z.number(), version: z.string() })
  .openapi('Health');

export const ReadyResponse = z
  .object({
    ready: z.boolean(),
    checks: z.object({ database: z.boolean(), migrations: z.boolean(), queue: z.boolean() }),
    pendingMigrations: z.array(z.string()),
  })
  .openapi('Readiness');

export const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['System'],
  summary: 'Liveness: the process is up',
  security: [],
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: HealthResponse } } } },
});

export const ready = createRoute({
  method: 'get',
  path: '/ready',
  tags: ['System'],
  summary: 'Readiness: database reachable, migrations applied, job queue started',
  security: [],
  responses: {
    200: { description: 'Ready to serve', content: { 'application/json': { schema: ReadyResponse } } },
    503: {
      description: 'Not ready (starting, draining or a dependency is down)',
      content: { 'application/json': { schema: ReadyResponse } },
    },
  },
});
