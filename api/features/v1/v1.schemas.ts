/** Shared OpenAPI pieces of the public API v1: security, pagination, the `Me` view. */
import { z } from '@hono/zod-openapi';

/** Every v1 operation accepts an API key or the browser session (an OAuth access token joins later). */
export const V1_SECURITY: Record<string, string[]>[] = [{ apiKey: [] }, { session: [] }];

export const PageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .openapi({ param: { name: 'limit', in: 'query' }, example: 20 }),
  cursor: z
    .string()
    .max(500)
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' }, description: '`nextCursor` of the previous page' }),
});

export const V1Health = z
  .object({ status: z.literal('ok'), version: z.string(), apiVersion: z.literal('v1') })
  .openapi('V1Health', { example: { status: 'ok', version: '0.1.0', apiVersion: 'v1' } });

export const Me = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    roles: z.array(z.string()),
    authType: z.enum(['api_key', 'session', 'oauth']),
    scopes: z.array(z.string()).openapi({
      description: 'Effective scopes: those granted to the credential that the owner’s roles still allow',
    }),
    apiKey: z
      .object({
        id: z.uuid(),
        name: z.string(),
        prefix: z.string(),
        expiresAt: z.string().nullable(),
        rateLimitRpm: z.number().int(),
      })
      .nullable(),
    rateLimit: z.object({ limit: z.number().int(), windowSeconds: z.number().int() }),
  })
  .openapi('Me', {
    example: {
      id: '0b7d9c1e-6c2f-4a8e-9a53-2b1f0f1c9d11',
      email: 'teacher@school.org',
      name: 'A. Teacher',
      roles: ['staff'],
      authType: 'api_key',
      scopes: ['chat', 'models:read'],
      apiKey: {
        id: '7f0b2d2a-0d58-4a43-8d6c-0c6f4e7f1a20',
        name: 'LMS integration',
        prefix: 'sk-3fQk9ZrTa',
        expiresAt: null,
        rateLimitRpm: 60,
      },
      rateLimit: { limit: 60, windowSeconds: 60 },
    },
  });
