import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, IdParam, jsonBody, jsonOk } from '../../lib/openapi';
import { requireCapability } from '../../middleware/rbac';

const guard = [requireCapability('admin:users')];
const tags = ['Admin'];

export const RoleSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    isSystem: z.boolean().openapi({ description: 'Built-in: cannot be renamed or deleted' }),
    capabilities: z.array(z.string()),
    userCount: z.number().int(),
  })
  .openapi('Role');

export const CapabilitySchema = z.object({ name: z.string(), description: z.string() }).openapi('Capability');

export const list = createRoute({
  method: 'get',
  path: '/admin/roles',
  tags,
  summary: 'Roles with their capabilities',
  middleware: guard,
  responses: { 200: jsonOk(z.object({ items: z.array(RoleSchema) }), 'Roles'), ...errorResponses(401, 403) },
});

export const create = createRoute({
  method: 'post',
  path: '/admin/roles',
  tags,
  summary: 'Create a custom role',
  middleware: guard,
  request: {
    body: jsonBody(
      z.object({
        name: z.string().max(40),
        description: z.string().max(500).optional(),
        capabilities: z.array(z.string()).max(200).optional(),
      }),
    ),
  },
  responses: { 201: jsonOk(RoleSchema, 'Created'), ...errorResponses(401, 403, 409, 422) },
});

export const patch = createRoute({
  method: 'patch',
  path: '/admin/roles/{id}',
  tags,
  summary: 'Rename a custom role, change a description or the capabilities',
  middleware: guard,
  request: {
    params: IdParam,
    body: jsonBody(
      z.object({
        name: z.string().max(40).optional(),
        description: z.string().max(500).optional(),
        capabilities: z.array(z.string()).max(200).optional(),
      }),
    ),
  },
  responses: { 200: jsonOk(RoleSchema, 'Updated'), ...errorResponses(401, 403, 404, 409, 422) },
});

export const remove = createRoute({
  method: 'delete',
  path: '/admin/roles/{id}',
  tags,
  summary: 'Delete a custom role',
  middleware: guard,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404, 422) },
});

export const capabilities = createRoute({
  method: 'get',
  path: '/admin/capabilities',
  tags,
  summary: 'Every capability string',
  middleware: guard,
  responses: {
    200: jsonOk(z.object({ items: z.array(CapabilitySchema) }), 'Capabilities'),
    ...errorResponses(401, 403),
  },
});
