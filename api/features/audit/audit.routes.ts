import { createRoute, z } from '@hono/zod-openapi';
import { errorResponses, jsonOk } from '../../lib/openapi';
import { requireCapability } from '../../middleware/rbac';

const guard = [requireCapability('admin:audit')];

export const AuditEventSchema = z
  .object({
    id: z.number().int(),
    createdAt: z.string(),
    actorId: z.string().nullable(),
    actorType: z.string(),
    actorLabel: z.string().nullable(),
    action: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    requestId: z.string().nullable(),
    ip: z.string().nullable(),
  })
  .openapi('AuditEvent');

export const AuditFilterQuery = z.object({
  actor: z.uuid({ error: 'must be a user id' }).optional().openapi({ description: 'Actor user id' }),
  action: z.string().max(100).optional().openapi({ description: 'Exact action, e.g. users.update' }),
  from: z.iso.datetime({ offset: true, error: 'must be an ISO date-time' }).optional(),
  to: z.iso.datetime({ offset: true, error: 'must be an ISO date-time' }).optional(),
});

export const list = createRoute({
  method: 'get',
  path: '/admin/audit',
  tags: ['Admin'],
  summary: 'Audit events, newest first (cursor = nextCursor of the previous page)',
  middleware: guard,
  request: {
    query: AuditFilterQuery.extend({
      cursor: z.coerce.number().int().positive().optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: {
    200: jsonOk(
      z
        .object({ items: z.array(AuditEventSchema), nextCursor: z.number().int().nullable() })
        .openapi('AuditPage'),
      'A page of events',
    ),
    ...errorResponses(401, 403, 422),
  },
});

export const exportCsv = createRoute({
  method: 'get',
  path: '/admin/audit.csv',
  tags: ['Admin'],
  summary: 'The filtered audit log as CSV (at most 100,000 rows)',
  middleware: guard,
  request: { query: AuditFilterQuery },
  responses: {
    200: { description: 'CSV file', content: { 'text/csv': { schema: z.string() } } },
    ...errorResponses(401, 403, 422),
  },
});
