import type { z } from '@hono/zod-openapi';
import type { AppRouteHandler } from '../../lib/create-router';
import { AUDIT_CSV_HEADER, auditCsvRow } from './audit.csv';
import type { AuditEventRow } from './audit.repo';
import type * as routes from './audit.routes';

const MAX_EXPORT = 100_000;
const PAGE = 1000;

function filterOf(q: z.infer<typeof routes.AuditFilterQuery>) {
  return {
    actorId: q.actor,
    action: q.action,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
  };
}

const view = (e: AuditEventRow) => ({ ...e, createdAt: e.createdAt.toISOString() });

export const list: AppRouteHandler<typeof routes.list> = async (c) => {
  const q = c.req.valid('query');
  const rows = await c.get('services').audit.list(c.get('ctx'), {
    ...filterOf(q),
    beforeId: q.cursor,
    limit: q.limit,
  });
  const nextCursor = rows.length === q.limit ? (rows.at(-1)?.id ?? null) : null;
  return c.json({ items: rows.map(view), nextCursor }, 200);
};

export const exportCsv: AppRouteHandler<typeof routes.exportCsv> = async (c) => {
  const filter = filterOf(c.req.valid('query'));
  const lines = [AUDIT_CSV_HEADER.join(',')];
  let beforeId: number | undefined;
  for (let total = 0; total < MAX_EXPORT; ) {
    const rows = await c.get('services').audit.list(c.get('ctx'), { ...filter, beforeId, limit: PAGE });
    for (const r of rows) lines.push(auditCsvRow(r));
    total += rows.length;
    if (rows.length < PAGE) break;
    beforeId = rows.at(-1)?.id;
  }
  await c.get('services').audit.record(c.get('ctx'), {
    action: 'audit.export',
    details: { rows: lines.length - 1 },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return c.body(`${lines.join('\r\n')}\r\n`, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="audit-${stamp}.csv"`,
  });
};
