import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, IdParam, jsonBody, jsonOk } from '../../lib/openapi';
import { SCOPES } from '../../lib/scopes';
import { requireCapability } from '../../middleware/rbac';
import { MAX_RATE_LIMIT_RPM } from './api-keys.service';

const own = [requireCapability('api:keys')];
const admin = [requireCapability('admin:users')];
const session = [{ session: [] }];

const ScopeName = z.enum(['*', ...SCOPES]);

export const ApiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z
      .string()
      .openapi({ description: 'The first 12 characters of the key', example: 'sk-3fQk9ZrTa' }),
    scopes: z.array(z.string()).openapi({ example: ['chat', 'models:read'] }),
    rateLimitRpm: z.number().int(),
    status: z.enum(['active', 'revoked', 'expired']),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable().openapi({ description: 'Updated at most once a minute' }),
    revokedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('ApiKey');

export const AdminApiKeySchema = ApiKeySchema.extend({
  owner: z.object({ id: z.uuid(), email: z.string(), name: z.string() }),
  usage24h: z.object({ requests: z.number().int(), errors: z.number().int() }),
}).openapi('AdminApiKey');

export const CreateKeyBody = z
  .object({
    name: z.string().max(100).openapi({ example: 'LMS integration' }),
    scopes: z
      .array(ScopeName)
      .min(1)
      .max(SCOPES.length + 1)
      .openapi({ description: '`*` grants every scope your roles allow', example: ['chat', 'models:read'] }),
    expiresAt: z
      .string()
      .max(40)
      .nullable()
      .optional()
      .openapi({ description: 'ISO 8601; omit or null for no expiry', example: '2027-06-30T00:00:00Z' }),
    rateLimitRpm: z
      .number()
      .int()
      .min(1)
      .max(MAX_RATE_LIMIT_RPM)
      .optional()
      .openapi({ description: 'Requests per minute (default 60; above 60 needs an administrator)' }),
  })
  .openapi('CreateApiKey');

export const CreatedKey = z
  .object({
    key: ApiKeySchema,
    secret: z.string().openapi({
      description: 'The full key. Shown only in this response: store it now.',
      example: 'sk-3fQk9ZrTaV1c0m8pLq2xYb7Nw4Hs6Ud5Jf1Ke9Rt0Gi',
    }),
  })
  .openapi('CreatedApiKey');

export const listMine = createRoute({
  method: 'get',
  path: '/me/api-keys',
  tags: ['API keys'],
  summary: 'Your API keys (never the secrets)',
  security: session,
  middleware: own,
  responses: {
    200: jsonOk(
      z.object({ items: z.array(ApiKeySchema), grantableScopes: z.array(z.string()) }).openapi('ApiKeyList'),
      'Your keys, newest first, and the scopes your roles allow',
    ),
    ...errorResponses(401, 403),
  },
});

export const create = createRoute({
  method: 'post',
  path: '/me/api-keys',
  tags: ['API keys'],
  summary: 'Create an API key (at most 10 active); the secret is returned once',
  security: session,
  middleware: own,
  request: { body: jsonBody(CreateKeyBody) },
  responses: { 201: jsonOk(CreatedKey, 'Created'), ...errorResponses(401, 403, 409, 422) },
});

export const revokeMine = createRoute({
  method: 'delete',
  path: '/me/api-keys/{id}',
  tags: ['API keys'],
  summary: 'Revoke one of your keys (it stops working at once)',
  security: session,
  middleware: own,
  request: { params: IdParam },
  responses: { 200: jsonOk(ApiKeySchema, 'Revoked'), ...errorResponses(401, 403, 404, 422) },
});

export const adminList = createRoute({
  method: 'get',
  path: '/admin/api-keys',
  tags: ['Admin'],
  summary: 'Every API key with its owner and last-24-hour usage; cursor pagination',
  security: session,
  middleware: admin,
  request: {
    query: z.object({
      userId: z.uuid().optional(),
      status: z.enum(['active', 'revoked', 'expired']).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().max(500).optional(),
    }),
  },
  responses: {
    200: jsonOk(
      z
        .object({ items: z.array(AdminApiKeySchema), nextCursor: z.string().nullable() })
        .openapi('AdminApiKeyPage'),
      'A page of keys, newest first',
    ),
    ...errorResponses(401, 403, 422),
  },
});

export const adminRevoke = createRoute({
  method: 'delete',
  path: '/admin/api-keys/{id}',
  tags: ['Admin'],
  summary: "Revoke anyone's key",
  security: session,
  middleware: admin,
  request: { params: IdParam },
  responses: { 200: jsonOk(ApiKeySchema, 'Revoked'), ...errorResponses(401, 403, 404, 422) },
});

export const adminUsage = createRoute({
  method: 'get',
  path: '/admin/api-keys/{id}/usage',
  tags: ['Admin'],
  summary: "One key's request log (route, method, status, latency), newest first",
  security: session,
  middleware: admin,
  request: {
    params: IdParam,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: z.string().max(500).optional(),
    }),
  },
  responses: {
    200: jsonOk(
      z
        .object({
          items: z.array(
            z.object({
              endpoint: z.string().openapi({ example: '/api/v1/chat/completions' }),
              method: z.string(),
              status: z.number().int(),
              latencyMs: z.number().int(),
              createdAt: z.string(),
            }),
          ),
          nextCursor: z.string().nullable(),
        })
        .openapi('ApiKeyUsagePage'),
      'Requests made with the key',
    ),
    ...errorResponses(401, 403, 404, 422),
  },
});
