/** OpenAPI schemas for people and sessions, shared by the auth and users routers. */
import { z } from '@hono/zod-openapi';

export const UserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    avatarUrl: z.string().nullable(),
    status: z.enum(['active', 'disabled']),
    hasPassword: z.boolean(),
    lastLoginAt: z.string().nullable(),
    createdAt: z.string(),
    roles: z.array(z.object({ name: z.string(), source: z.string() })),
  })
  .openapi('User');

export const SessionSchema = z
  .object({
    id: z.uuid(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    createdAt: z.string(),
    lastSeenAt: z.string(),
    expiresAt: z.string(),
    current: z.boolean().openapi({ description: 'The session making this request' }),
  })
  .openapi('Session');

export const SessionList = z.object({ items: z.array(SessionSchema) }).openapi('SessionList');
