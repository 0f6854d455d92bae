/**
 * Large chat attachments (issue 12.7, docs/decisions/024): a document whose text is over the setting
 * `knowledge.chat_attachment_token_limit` (o200k tokens) is not pasted into the prompt; it becomes an item
 * of the conversation's private repository (one per owner and chat id, created on first use, readable by
 * the owner only) and goes through the indexing pipeline. Each turn of that conversation retrieves from it
 * like from an attached repository, with citations. The repository goes with the conversation, and the
 * expiry job deletes it once no attachment was added for `attachments.retention_days` (or when its
 * conversation no longer exists a day after the upload).
 */

import { can } from '../../lib/authz';
import type { Ctx } from '../../lib/ctx';
import type { ObjectStores } from '../../lib/object-store';
import { countTokens } from '../../lib/token-count';
import type { SettingsService } from '../settings/settings.service';
import { USE } from './knowledge.checks';
import type { KnowledgeJobs } from './knowledge.queue';
import { chatRepositoryIds, ensureChatRepository, expiredChatRepositories } from './knowledge.repo';
import type { ItemView } from './knowledge.schemas';
import { addSource, removeRepository } from './knowledge.sources';

export const DEFAULT_CHAT_ATTACHMENT_TOKEN_LIMIT = 8000;
/** A chat repository whose conversation does not exist this long after the upload is deleted. */
const ORPHAN_MS = 86_400_000;
const PRUNE_BATCH = 100;

export interface IndexedAttachment {
  repositoryId: string;
  itemId: string;
  status: ItemView['status'];
}

export class ChatKnowledge {
  constructor(
    private readonly deps: {
      stores: ObjectStores;
      settings: Pick<SettingsService, 'getNumber'>;
      jobs(): KnowledgeJobs;
    },
  ) {}

  /**
   * Whether a document is too large to paste into the prompt: over the token limit, or cut by the
   * extractor already. Counting stops early: fewer characters than the limit cannot hold more tokens.
   */
  async isLarge(ctx: Ctx, text: string, truncated: boolean): Promise<boolean> {
    if (truncated) return true;
    const limit = await this.deps.settings.getNumber(
      ctx,
      'knowledge.chat_attachment_token_limit',
      DEFAULT_CHAT_ATTACHMENT_TOKEN_LIMIT,
    );
    return text.length > limit && countTokens(text) > limit;
  }

  /** Whether the person may have attachments indexed (retrieval needs knowledge:use). */
  canIndex(ctx: Ctx): boolean {
    return ctx.actor.id !== null && can(ctx.actor, USE);
  }

  /** Queues the document as an item of the chat's private repository (the caller checked canIndex). */
  async indexAttachment(
    ctx: Ctx,
    input: { chatId: string; filename: string; mediaType: string; bytes: Uint8Array },
  ): Promise<IndexedAttachment> {
    const repo = await ensureChatRepository(ctx.db, {
      ownerId: ctx.actor.id!,
      chatId: input.chatId,
      name: 'Chat attachments',
    });
    const added = await addSource(this.deps, ctx, repo, {
      sourceKind: 'upload',
      title: input.filename,
      filename: input.filename,
      mediaType: input.mediaType,
      bytes: input.bytes,
    });
    return { repositoryId: repo.id, itemId: added.id, status: added.status };
  }

  /** Deletes the actor's private repositories of a chat (the conversation is being deleted). */
  async removeForChat(ctx: Ctx, chatId: string): Promise<void> {
    if (ctx.actor.id === null) return;
    for (const id of await chatRepositoryIds(ctx.db, ctx.actor.id, chatId))
      await removeRepository(this.deps.stores, ctx.db, id);
  }

  /** The expiry job: deletes chat repositories idle for `days` days, or whose conversation is gone. */
  async prune(ctx: Ctx, days: number, now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - days * 86_400_000);
    const orphanCutoff = new Date(now.getTime() - ORPHAN_MS);
    let deleted = 0;
    for (;;) {
      const rows = await expiredChatRepositories(ctx.db, { cutoff, orphanCutoff, limit: PRUNE_BATCH });
      for (const row of rows) {
        await removeRepository(this.deps.stores, ctx.db, row.id);
        deleted++;
      }
      if (rows.length < PRUNE_BATCH) return deleted;
    }
  }
}
