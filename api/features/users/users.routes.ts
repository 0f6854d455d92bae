import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, IdParam, jsonBody, jsonOk } from '../../lib/openapi';
import { requireCapability } from '../../middleware/rbac';
import { SessionList, UserSchema } from './users.schemas';

const guard = [requireCapability('admin:users')];
const tags = ['Admin'];

export const UserPage = z
  .object({
    items: z.array(UserSchema),
    total: z.number().int(),
    nextOffset: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Offset of the next page; null on the last' }),
  })
  .openapi('UserPage');

export const list = createRoute({
  method: 'get',
  path: '/admin/users',
  tags,
  summary: 'Search users (e-mail or name), filter by status or role, paginate by offset',
  middleware: guard,
  request: {
    query: z.object({
      q: z.string().max(200).optional(),
      status: z.enum(['active', 'disabled']).optional(),
      role: z.string().max(40).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: { 200: jsonOk(UserPage, 'A page of users, newest first'), ...errorResponses(401, 403, 422) },
});

export const create = createRoute({
  method: 'post',
  path: '/admin/users',
  tags,
  summary: 'Create a local account',
  middleware: guard,
  request: {
    body: jsonBody(
      z.object({
        email: z.string().max(254),
        name: z.string().max(120).optional(),
        password: z.string().max(1024).optional().openapi({ description: 'Omit for SSO-only accounts' }),
        roles: z.array(z.string()).max(50).optional(),
      }),
    ),
  },
  responses: { 201: jsonOk(UserSchema, 'Created'), ...errorResponses(401, 403, 409, 422) },
});

export const getOne = createRoute({
  method: 'get',
  path: '/admin/users/{id}',
  tags,
  summary: 'One user',
  middleware: guard,
  request: { params: IdParam },
  responses: { 200: jsonOk(UserSchema, 'The user'), ...errorResponses(401, 403, 404, 422) },
});

export const patch = createRoute({
  method: 'patch',
  path: '/admin/users/{id}',
  tags,
  summary: 'Change name, status (disabling ends every session) or manual roles',
  middleware: guard,
  request: {
    params: IdParam,
    body: jsonBody(
      z.object({
        name: z.string().max(120).optional(),
        status: z.enum(['active', 'disabled']).optional(),
        roles: z
          .array(z.string())
          .max(50)
          .optional()
          .openapi({ description: 'Role names; replaces manual roles' }),
      }),
    ),
  },
  responses: { 200: jsonOk(UserSchema, 'Updated'), ...errorResponses(401, 403, 404, 409, 422) },
});

export const listSessions = createRoute({
  method: 'get',
  path: '/admin/users/{id}/sessions',
  tags,
  summary: "A user's active sessions",
  middleware: guard,
  request: { params: IdParam },
  responses: { 200: jsonOk(SessionList, 'Sessions'), ...errorResponses(401, 403, 404, 422) },
});

export const revokeSessions = createRoute({
  method: 'delete',
  path: '/admin/users/{id}/sessions',
  tags,
  summary: 'Sign a user out everywhere',
  middleware: guard,
  request: { params: IdParam },
  responses: {
    200: jsonOk(z.object({ revoked: z.number().int() }), 'Sessions ended'),
    ...errorResponses(401, 403, 404, 422),
  },
});

export const setPassword = createRoute({
  method: 'post',
  path: '/admin/users/{id}/password',
  tags,
  summary: "Set a user's password (ends all their sessions)",
  middleware: guard,
  request: { params: IdParam, body: jsonBody(z.object({ password: z.string().max(1024) })) },
  responses: {
    200: jsonOk(
      z.object({ sessionsEnded: z.number().int(), apiKeysRevoked: z.number().int() }),
      'Password set; sessions ended and API keys revoked',
    ),
    ...errorResponses(401, 403, 404, 422),
  },
});
