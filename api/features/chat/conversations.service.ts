/**
 * A person's conversations: list/search, create, rename/pin/archive/system prompt/model, switch branch,
 * fork, delete, and the message tree. Everything is scoped to the signed-in owner: someone else's
 * conversation answers 404, never 403, so ids reveal nothing.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { assertCan } from '../../lib/authz';
import type { Ctx } from '../../lib/ctx';
import { decodeOpaque, encodeOpaque } from '../../lib/cursor';
import { AppError } from '../../lib/errors';
import { assertScope } from '../../lib/scopes';
import { parseInput } from '../../lib/validate';
import type { ChatKnowledge } from '../knowledge/knowledge.chat';
import type { ModelsService } from '../models/models.service';
import {
  type ConversationPageView,
  type ConversationView,
  CreateConversationInput,
  ForkInput,
  ListConversationsQuery,
  UpdateConversationInput,
} from './chat.schemas';
import { autoTitle, newestLeafUnder, toConversationView, toMessagesView } from './chat.views';
import type { ConversationPages } from './conversation-pages';
import {
  type ConversationListRow,
  type ConversationRecord,
  deleteConversation,
  deleteConversationsBefore,
  findConversation,
  insertConversation,
  isFirstPage,
  type ListFilter,
  listConversations,
  toPrefixQuery,
  updateConversation,
} from './conversations.repo';
import { insertMessages, listMessages, type NewMessageRow, textOfParts } from './messages.repo';

export const CHAT_CAPABILITY = 'chat:use';

interface Cursor {
  pinned: boolean;
  at: Date;
  id: string;
}

/** Keyset position in the sidebar order (pinned first, then newest). */
const CursorPayload = z.tuple([z.union([z.literal(0), z.literal(1)]), z.iso.datetime(), z.uuid()]);

function encodeCursor(c: Cursor): string {
  return encodeOpaque([c.pinned ? 1 : 0, c.at.toISOString(), c.id]);
}

function decodeCursor(raw: string): Cursor {
  const [p, at, id] = decodeOpaque(raw, CursorPayload);
  return { pinned: p === 1, at: new Date(at), id };
}

/**
 * A page of the list from `limit + 1` rows (the extra one says whether there is a next page). Frozen: a first
 * page is shared by every read until it is dropped, so a caller that changed it would fail loudly.
 */
function listPage(rows: ConversationListRow[], limit: number, searched: boolean): ConversationPageView {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const items = page.map((r) => {
    const view = toConversationView(searched ? r : { ...r, snippet: undefined });
    Object.freeze(view.repositoryIds);
    return Object.freeze(view);
  });
  return Object.freeze({
    items: Object.freeze(items) as ConversationPageView['items'],
    nextCursor:
      rows.length > limit && last
        ? encodeCursor({ pinned: last.pinned, at: last.lastMessageAt, id: last.id })
        : null,
  });
}

export class ConversationsService {
  constructor(
    private readonly deps: {
      models: ModelsService;
      /** The conversation's private knowledge (large attachments) goes with it. */
      chatKnowledge?: Pick<ChatKnowledge, 'removeForChat'>;
      pages: ConversationPages;
    },
  ) {}

  /**
   * Retention (the nightly job, as the system): deletes conversations whose last message is older than
   * `days` days, everyone's. `days` of 0 or less keeps everything (the default: no retention set).
   */
  async prune(ctx: Ctx, days: number, now = new Date()): Promise<number> {
    if (!(days > 0)) return 0;
    const deleted = await deleteConversationsBefore(ctx.db, new Date(now.getTime() - days * 86_400_000));
    if (deleted) this.deps.pages.changed(ctx.db, null);
    return deleted;
  }

  /** The actor's conversation or 404. Also asserts chat:use (and 401 for anonymous). */
  async require(ctx: Ctx, id: string): Promise<ConversationRecord> {
    assertCan(ctx.actor, CHAT_CAPABILITY);
    assertScope(ctx.actor, 'chat');
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await findConversation(ctx.db, id, ctx.actor.id!) : undefined;
    if (!row) throw new AppError('not_found:chat', 'No such conversation');
    return row;
  }

  async list(ctx: Ctx, query: z.input<typeof ListConversationsQuery>) {
    assertCan(ctx.actor, CHAT_CAPABILITY);
    assertScope(ctx.actor, 'chat');
    const q = parseInput(ListConversationsQuery, query, 'chat');
    const tsquery = q.q ? toPrefixQuery(q.q) : null;
    const filter: ListFilter = {
      userId: ctx.actor.id!,
      tsquery: tsquery ?? undefined,
      pinned: q.pinned,
      archived: q.archived === 'all' ? 'all' : q.archived === 'true',
      after: q.cursor ? decodeCursor(q.cursor) : undefined,
      limit: q.limit + 1,
    };
    // The sidebar's first page is kept whole, views built (ConversationPages); other pages are read.
    if (isFirstPage(filter))
      return this.deps.pages.firstPage(
        filter.userId,
        { archived: filter.archived, limit: filter.limit },
        async () => listPage(await listConversations(ctx.db, filter), q.limit, tsquery !== null),
      );
    return listPage(await listConversations(ctx.db, filter), q.limit, tsquery !== null);
  }

  async create(ctx: Ctx, input: z.input<typeof CreateConversationInput>): Promise<ConversationView> {
    assertCan(ctx.actor, CHAT_CAPABILITY);
    assertScope(ctx.actor, 'chat');
    const data = parseInput(CreateConversationInput, input, 'chat');
    if (data.modelId) await this.deps.models.getUsable(ctx, data.modelId, 'chat');
    const now = new Date();
    const row = await insertConversation(ctx.db, {
      userId: ctx.actor.id!,
      title: data.title || '',
      modelId: data.modelId ?? null,
      systemPrompt: data.systemPrompt ?? null,
      lastMessageAt: now,
      createdAt: now,
      updatedAt: now,
    });
    this.deps.pages.changed(ctx.db, row.userId);
    return toConversationView(row);
  }

  async get(ctx: Ctx, id: string): Promise<ConversationView> {
    return toConversationView(await this.require(ctx, id));
  }

  async update(
    ctx: Ctx,
    id: string,
    input: z.input<typeof UpdateConversationInput>,
  ): Promise<ConversationView> {
    const current = await this.require(ctx, id);
    const patch = parseInput(UpdateConversationInput, input, 'chat');
    if (patch.modelId) await this.deps.models.getUsable(ctx, patch.modelId, 'chat');
    if (patch.currentLeafId) {
      const rows = await listMessages(ctx.db, current.id);
      if (!rows.some((m) => m.id === patch.currentLeafId)) {
        throw new AppError('validation:chat', 'That message is not in this conversation', {
          details: { fields: { currentLeafId: 'not a message of this conversation' } },
        });
      }
      patch.currentLeafId = newestLeafUnder(rows, patch.currentLeafId);
    }
    const row = await updateConversation(ctx.db, current.id, ctx.actor.id!, patch);
    if (!row) throw new AppError('not_found:chat', 'No such conversation');
    this.deps.pages.changed(ctx.db, row.userId);
    return toConversationView(row);
  }

  async remove(ctx: Ctx, id: string): Promise<void> {
    const current = await this.require(ctx, id);
    await this.deps.chatKnowledge?.removeForChat(ctx, current.id);
    await deleteConversation(ctx.db, current.id, ctx.actor.id!);
    this.deps.pages.changed(ctx.db, current.userId);
  }

  async messages(ctx: Ctx, id: string) {
    const conv = await this.require(ctx, id);
    return toMessagesView(conv.id, conv.currentLeafId, await listMessages(ctx.db, conv.id));
  }

  /** Copies the branch ending at `messageId` (default: the current leaf) into a new conversation. */
  async fork(ctx: Ctx, id: string, input: z.input<typeof ForkInput>): Promise<ConversationView> {
    const source = await this.require(ctx, id);
    const data = parseInput(ForkInput, input, 'chat');
    const rows = await listMessages(ctx.db, source.id);
    const byId = new Map(rows.map((m) => [m.id, m]));
    const leafId = data.messageId ?? source.currentLeafId;
    if (data.messageId && !byId.has(data.messageId)) {
      throw new AppError('validation:chat', 'That message is not in this conversation', {
        details: { fields: { messageId: 'not a message of this conversation' } },
      });
    }
    const branch = [];
    for (
      let m = leafId ? byId.get(leafId) : undefined;
      m;
      m = m.parentId ? byId.get(m.parentId) : undefined
    ) {
      branch.unshift(m);
    }
    const newIds = new Map(branch.map((m) => [m.id, randomUUID()]));
    const now = new Date();
    const conversationId = randomUUID();
    const copies: NewMessageRow[] = branch.map(({ id: oldId, parentId, updatedAt: _u, ...rest }) => ({
      ...rest,
      id: newIds.get(oldId)!,
      conversationId,
      parentId: parentId ? newIds.get(parentId)! : null,
      // An answer still streaming in the source is copied as it stands.
      status: rest.status === 'streaming' ? 'stopped' : rest.status,
      contentText: textOfParts(rest.parts),
    }));
    const row = await ctx.db.transaction(async (tx) => {
      await insertConversation(tx, {
        id: conversationId,
        userId: ctx.actor.id!,
        title: data.title || autoTitle(`${source.title || 'Chat'} (fork)`, 60),
        modelId: source.modelId,
        systemPrompt: source.systemPrompt,
        forkedFrom: source.id,
        messageCount: copies.length,
        lastMessageAt: now,
        createdAt: now,
        updatedAt: now,
      });
      await insertMessages(tx, copies);
      this.deps.pages.changed(tx, ctx.actor.id!);
      const leaf = copies.at(-1)?.id ?? null;
      return (await updateConversation(tx, conversationId, ctx.actor.id!, { currentLeafId: leaf }))!;
    });
    return toConversationView(row);
  }
}
