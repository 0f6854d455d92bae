import { and, desc, eq, gte, lt, lte, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../../db/client';
import { auditEvents } from '../../../db/schema/index';

export type AuditEventRow = typeof auditEvents.$inferSelect;
export type NewAuditEvent = typeof auditEvents.$inferInsert;

export async function insertAuditEvent(db: Queryable, event: NewAuditEvent): Promise<void> {
  await db.insert(auditEvents).values(event);
}

export interface AuditFilter {
  actorId?: string;
  action?: string;
  /** One target's history (e.g. a decision node's). */
  target?: { type: string; id: string };
  from?: Date;
  to?: Date;
  beforeId?: number;
  limit: number;
}

export function listAuditEvents(db: Queryable, f: AuditFilter): Promise<AuditEventRow[]> {
  const where: SQL[] = [];
  if (f.actorId) where.push(eq(auditEvents.actorId, f.actorId));
  if (f.action) where.push(eq(auditEvents.action, f.action));
  if (f.target) where.push(eq(auditEvents.targetType, f.target.type), eq(auditEvents.targetId, f.target.id));
  if (f.from) where.push(gte(auditEvents.createdAt, f.from));
  if (f.to) where.push(lte(auditEvents.createdAt, f.to));
  if (f.beforeId) where.push(lt(auditEvents.id, f.beforeId));
  return db
    .select()
    .from(auditEvents)
    .where(and(...where))
    .orderBy(desc(auditEvents.id))
    .limit(f.limit);
}

export async function deleteAuditEventsBefore(db: Queryable, cutoff: Date): Promise<number> {
  const rows = await db
    .delete(auditEvents)
    .where(lt(auditEvents.createdAt, cutoff))
    .returning({ id: auditEvents.id });
  return rows.length;
}
