import { and, asc, eq, getTableColumns, lt, sql } from 'drizzle-orm';
import type { Queryable } from '../../../db/client';
import { conversations, messages, type StoredPart } from '../../../db/schema/index';

type MessageRow = typeof messages.$inferSelect;
export type MessageRecord = Omit<MessageRow, 'search' | 'contentText'>;
export type NewMessageRow = typeof messages.$inferInsert;

const { search: _s, contentText: _c, ...columns } = getTableColumns(messages);

/** The text of the parts, for full-text search. */
export function textOfParts(parts: readonly StoredPart[]): string {
  let out = '';
  for (const p of parts) {
    if (p.type === 'text' && typeof p.text === 'string') out += (out ? '\n' : '') + p.text;
  }
  return out;
}

/** Every message of a conversation (all branches), oldest first. */
export function listMessages(db: Queryable, conversationId: string): Promise<MessageRecord[]> {
  return db
    .select(columns)
    .from(messages)
    .where(eq(messages.conversationId, conversationId))
    .orderBy(asc(messages.createdAt), asc(messages.id));
}

export async function findMessage(
  db: Queryable,
  conversationId: string,
  id: string,
): Promise<MessageRecord | undefined> {
  const [row] = await db
    .select(columns)
    .from(messages)
    .where(and(eq(messages.id, id), eq(messages.conversationId, conversationId)));
  return row;
}

/** A message with its conversation's owner (stop requests check ownership). */
export async function findMessageOwner(
  db: Queryable,
  id: string,
): Promise<{ userId: string; status: MessageRow['status'] } | undefined> {
  const [row] = await db
    .select({ userId: conversations.userId, status: messages.status })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(eq(messages.id, id));
  return row;
}

/**
 * The branch ending at `leafId`, root first: one recursive query walking parent links up. Only the fields
 * a model call needs.
 */
export async function branchTo(
  db: Queryable,
  conversationId: string,
  leafId: string,
): Promise<Array<Pick<MessageRecord, 'id' | 'parentId' | 'role' | 'parts'>>> {
  const rows = await db.execute<{
    id: string;
    parent_id: string | null;
    role: MessageRow['role'];
    parts: StoredPart[];
    depth: number;
  }>(sql`
    with recursive branch as (
      select id, parent_id, role, parts, 0 as depth from ${messages}
       where id = ${leafId} and conversation_id = ${conversationId}
      union all
      select m.id, m.parent_id, m.role, m.parts, b.depth + 1 from ${messages} m
        join branch b on m.id = b.parent_id
    )
    select id, parent_id, role, parts, depth from branch order by depth desc`);
  return [...rows].map((r) => ({ id: r.id, parentId: r.parent_id, role: r.role, parts: r.parts }));
}

export async function insertMessages(db: Queryable, rows: NewMessageRow[]): Promise<void> {
  if (rows.length) await db.insert(messages).values(rows);
}

/** Answers still marked streaming since before `cutoff` belong to a process that died: mark them failed. */
export async function failStaleStreaming(db: Queryable, cutoff: Date, reason: string): Promise<number> {
  const rows = await db
    .update(messages)
    .set({ status: 'failed', error: reason, updatedAt: sql`now()` })
    .where(and(eq(messages.status, 'streaming'), lt(messages.updatedAt, cutoff)))
    .returning({ id: messages.id });
  return rows.length;
}
