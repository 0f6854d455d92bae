import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, IdParam, jsonBody, jsonOk } from '../../lib/openapi';
import { requireCapability, requireUser } from '../../middleware/rbac';
import { SessionList, UserSchema } from '../users/users.schemas';

export const CurrentSession = z
  .object({ user: UserSchema, capabilities: z.array(z.string()) })
  .openapi('CurrentSession');

export const SignupPolicySchema = z
  .object({
    signupEnabled: z.boolean(),
    signupDomains: z.array(z.string()).openapi({ description: 'Allowed e-mail domains; empty = any' }),
    defaultRole: z.string().openapi({ description: 'Role of new accounts after the first' }),
  })
  .openapi('SignupPolicy');

export const session = createRoute({
  method: 'get',
  path: '/auth/session',
  tags: ['Auth'],
  summary: 'The signed-in user, roles and capabilities',
  middleware: [requireUser()],
  responses: { 200: jsonOk(CurrentSession, 'Signed in'), ...errorResponses(401) },
});

export const listMySessions = createRoute({
  method: 'get',
  path: '/me/sessions',
  tags: ['Profile'],
  summary: 'My active sessions',
  middleware: [requireUser()],
  responses: { 200: jsonOk(SessionList, 'Sessions, most recently used first'), ...errorResponses(401) },
});

export const revokeMySession = createRoute({
  method: 'delete',
  path: '/me/sessions/{id}',
  tags: ['Profile'],
  summary: 'Sign out one of my sessions',
  middleware: [requireUser()],
  request: { params: IdParam },
  responses: { 204: { description: 'Revoked' }, ...errorResponses(401, 404, 422) },
});

export const changeMyPassword = createRoute({
  method: 'post',
  path: '/me/password',
  tags: ['Profile'],
  summary: 'Change my password (signs out my other sessions)',
  middleware: [requireUser()],
  request: {
    body: jsonBody(
      z.object({
        currentPassword: z
          .string()
          .max(1024)
          .default('')
          .openapi({ description: 'Empty when no password is set yet' }),
        newPassword: z.string().max(1024),
      }),
    ),
  },
  responses: {
    200: jsonOk(
      z.object({ sessionsEnded: z.number().int(), apiKeysRevoked: z.number().int() }),
      'Changed; other sessions ended and API keys revoked',
    ),
    ...errorResponses(401, 422, 429),
  },
});

export const getAuthSettings = createRoute({
  method: 'get',
  path: '/admin/settings/auth',
  tags: ['Admin'],
  summary: 'Sign-up policy',
  middleware: [requireCapability('admin:settings')],
  responses: { 200: jsonOk(SignupPolicySchema, 'Current policy'), ...errorResponses(401, 403) },
});

export const patchAuthSettings = createRoute({
  method: 'patch',
  path: '/admin/settings/auth',
  tags: ['Admin'],
  summary: 'Change the sign-up policy',
  middleware: [requireCapability('admin:settings')],
  request: {
    body: jsonBody(
      z.object({
        signupEnabled: z.boolean().optional(),
        signupDomains: z.array(z.string().max(253)).max(100).optional(),
        defaultRole: z.string().max(40).optional(),
      }),
    ),
  },
  responses: { 200: jsonOk(SignupPolicySchema, 'Updated policy'), ...errorResponses(401, 403, 422) },
});
