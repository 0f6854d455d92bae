/**
 * Dead letters of the ingestion pipeline for administrators: the items that failed (after their retries)
 * across every repository, with the reason, and a retry that indexes the item again as a new generation.
 * Needs admin:settings (operating the system), not ownership of the repository; each retry is audited.
 */
import { assertCan } from '../../lib/authz';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import { isUuid } from '../../lib/ids';
import type { AuditService } from '../audit/audit.service';
import { findItem, listFailedItems } from './knowledge.repo';
import type { ItemView } from './knowledge.schemas';
import type { KnowledgeService } from './knowledge.service';
import { toItemView } from './knowledge.views';

export const DEAD_LETTER_CAPABILITY = 'admin:settings';
const LIMIT = 200;

export type DeadLetterView = ItemView & { repositoryName: string };

export class KnowledgeDeadLetters {
  constructor(private readonly deps: { audit: AuditService; knowledge: Pick<KnowledgeService, 'requeue'> }) {}

  async list(ctx: Ctx): Promise<DeadLetterView[]> {
    assertCan(ctx.actor, DEAD_LETTER_CAPABILITY);
    return (await listFailedItems(ctx.db, LIMIT)).map((row) => ({
      ...toItemView(row),
      repositoryName: row.repositoryName,
    }));
  }

  async retry(ctx: Ctx, itemId: string): Promise<ItemView> {
    assertCan(ctx.actor, DEAD_LETTER_CAPABILITY);
    const item = isUuid(itemId) ? await findItem(ctx.db, itemId) : undefined;
    if (!item) throw new AppError('not_found:knowledge', 'No such item');
    if (item.status !== 'failed')
      throw new AppError('conflict:knowledge', 'This item has not failed; there is nothing to retry');
    const row = await this.deps.knowledge.requeue(ctx, item);
    await this.deps.audit.record(ctx, {
      action: 'knowledge.item_retry',
      targetType: 'knowledge_item',
      targetId: item.id,
    });
    return toItemView(row);
  }
}
