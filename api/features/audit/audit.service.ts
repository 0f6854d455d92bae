/** Writes and reads the audit trail. Every admin change calls `record`. */
import { assertCan } from '../../lib/authz';
import type { Capability } from '../../lib/capabilities';
import type { Ctx } from '../../lib/ctx';
import {
  type AuditEventRow,
  type AuditFilter,
  deleteAuditEventsBefore,
  insertAuditEvent,
  listAuditEvents,
} from './audit.repo';
import type { AuditAction } from './audit-actions';

export interface AuditInput {
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}

type ChangeListener = (action: string, ctx: Ctx) => void;

export class AuditService {
  private readonly listeners: ChangeListener[] = [];

  /**
   * Called for each recorded change, often inside its transaction (`ctx.db` is then its handle): a listener
   * whose work must follow the commit wraps it in `afterCommit(ctx.db, …)` (db/after-commit.ts), as the hot
   * caches' does.
   */
  onRecord(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  async record(ctx: Ctx, input: AuditInput): Promise<void> {
    for (const listener of this.listeners) listener(input.action, ctx);
    await insertAuditEvent(ctx.db, {
      actorId: ctx.actor.id,
      actorType: ctx.actor.type,
      actorLabel: ctx.actor.label,
      action: input.action,
      targetType: input.targetType ?? null,
      targetId: input.targetId ?? null,
      details: input.details ?? {},
      requestId: ctx.requestId,
      ip: ctx.ip,
    });
  }

  /** The admin console's view (and tests'): needs admin:audit. Newest first; `beforeId` is the cursor. */
  async list(ctx: Ctx, filter: AuditFilter): Promise<AuditEventRow[]> {
    assertCan(ctx.actor, 'admin:audit');
    return listAuditEvents(ctx.db, filter);
  }

  /**
   * One resource's history, for whoever may read that resource: the caller names the capability that reads
   * it (`decisions:read` for a decision), and the actor must hold it.
   */
  async history(
    ctx: Ctx,
    target: { type: string; id: string; readCapability: Capability },
    limit = 50,
  ): Promise<AuditEventRow[]> {
    assertCan(ctx.actor, target.readCapability);
    return listAuditEvents(ctx.db, { target: { type: target.type, id: target.id }, limit });
  }

  /** Deletes events older than `days` days; returns how many went. */
  prune(ctx: Ctx, days: number, now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - days * 86_400_000);
    return deleteAuditEventsBefore(ctx.db, cutoff);
  }
}
