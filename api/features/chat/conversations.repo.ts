import { and, desc, eq, getTableColumns, lt, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../../../db/client';
import { conversations, messages } from '../../../db/schema/index';
import { prepared } from '../../lib/prepared';
import { chatRepositoryIdsSql } from '../knowledge/knowledge.repo';

export type ConversationRow = typeof conversations.$inferSelect;
export type NewConversationRow = typeof conversations.$inferInsert;
export type ConversationListRow = Omit<ConversationRow, 'search'> & { snippet: string | null };

/** Every column but the generated tsvector (never sent to clients). */
const { search: _search, ...columns } = getTableColumns(conversations);
export type ConversationRecord = Omit<ConversationRow, 'search'>;

const findQuery = (db: Queryable) =>
  prepared(db, 'find_conversation', (d) =>
    d
      .select(columns)
      .from(conversations)
      .where(
        and(eq(conversations.id, sql.placeholder('id')), eq(conversations.userId, sql.placeholder('userId'))),
      )
      .prepare('find_conversation'),
  );

export async function findConversation(
  db: Queryable,
  id: string,
  userId: string,
): Promise<ConversationRecord | undefined> {
  const [row] = await findQuery(db).execute({ id, userId });
  return row;
}

const turnQuery = (db: Queryable) =>
  prepared(db, 'conversation_for_turn', (d) =>
    d
      .select({
        conversation: columns,
        privateRepositoryIds: chatRepositoryIdsSql(sql.placeholder('userId'), sql.placeholder('id')),
      })
      .from(sql`(select 1) as one`)
      .leftJoin(
        conversations,
        and(eq(conversations.id, sql.placeholder('id')), eq(conversations.userId, sql.placeholder('userId'))),
      )
      .prepare('conversation_for_turn'),
  );

/**
 * What a chat turn reads before its model call, in one round trip: the person's conversation `id` (if it
 * exists) and the private knowledge repositories of that chat (its large attachments, possibly uploaded
 * before the conversation's first message).
 */
export async function findConversationForTurn(
  db: Queryable,
  id: string,
  userId: string,
): Promise<{ conversation: ConversationRecord | undefined; privateRepositoryIds: string[] }> {
  const [row] = await turnQuery(db).execute({ id, userId });
  return {
    conversation: row?.conversation ?? undefined,
    privateRepositoryIds: row?.privateRepositoryIds ?? [],
  };
}

export async function insertConversation(
  db: Queryable,
  row: NewConversationRow,
): Promise<ConversationRecord> {
  const [created] = await db.insert(conversations).values(row).returning(columns);
  return created!;
}

export async function updateConversation(
  db: Queryable,
  id: string,
  userId: string,
  patch: Partial<NewConversationRow>,
): Promise<ConversationRecord | undefined> {
  const [row] = await db
    .update(conversations)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(conversations.id, id), eq(conversations.userId, userId)))
    .returning(columns);
  return row;
}

export async function deleteConversation(db: Queryable, id: string, userId: string): Promise<boolean> {
  const rows = await db
    .delete(conversations)
    .where(and(eq(conversations.id, id), eq(conversations.userId, userId)))
    .returning({ id: conversations.id });
  return rows.length > 0;
}

/** Retention: every conversation whose last message is before `cutoff` (messages go with it, by cascade). */
export async function deleteConversationsBefore(db: Queryable, cutoff: Date): Promise<number> {
  const rows = await db
    .delete(conversations)
    .where(lt(conversations.lastMessageAt, cutoff))
    .returning({ id: conversations.id });
  return rows.length;
}

export interface ListFilter {
  userId: string;
  /** A tsquery string already built from safe tokens (see toPrefixQuery). */
  tsquery?: string;
  pinned?: boolean;
  archived: boolean | 'all';
  after?: { pinned: boolean; at: Date; id: string };
  limit: number;
}

/** The sidebar's request: no search, no cursor, no pinned filter, archived or not (not both). */
export function isFirstPage(f: ListFilter): f is ListFilter & { archived: boolean } {
  return !f.tsquery && !f.after && f.pinned === undefined && f.archived !== 'all';
}

/** Pinned first, then most recently active; keyset pagination on (pinned, last_message_at, id). */
export function listConversations(db: Queryable, f: ListFilter): Promise<ConversationListRow[]> {
  // The common shape is prepared once.
  if (isFirstPage(f))
    return firstPage(db).execute({ userId: f.userId, archived: f.archived, limit: f.limit });
  const where: SQL[] = [eq(conversations.userId, f.userId)];
  if (f.pinned !== undefined) where.push(eq(conversations.pinned, f.pinned));
  if (f.archived !== 'all') where.push(eq(conversations.archived, f.archived));
  if (f.after) {
    where.push(
      sql`(${conversations.pinned}, ${conversations.lastMessageAt}, ${conversations.id}) < (${f.after.pinned}::boolean, ${f.after.at.toISOString()}::timestamptz, ${f.after.id}::uuid)`,
    );
  }
  let snippet: SQL<string | null> = sql<null>`null`;
  if (f.tsquery) {
    const q = sql`to_tsquery('simple', ${f.tsquery})`;
    where.push(
      sql`(${conversations.search} @@ ${q} or exists (select 1 from ${messages} m where m.conversation_id = ${conversations.id} and m.search @@ ${q}))`,
    );
    snippet = sql<
      string | null
    >`(select ts_headline('simple', m.content_text, ${q}, 'MaxFragments=1,MaxWords=18,MinWords=6,StartSel="",StopSel=""') from ${messages} m where m.conversation_id = ${conversations.id} and m.search @@ ${q} order by m.created_at limit 1)`;
  }
  return db
    .select({ ...columns, snippet })
    .from(conversations)
    .where(and(...where))
    .orderBy(desc(conversations.pinned), desc(conversations.lastMessageAt), desc(conversations.id))
    .limit(f.limit);
}

const firstPage = (db: Queryable) =>
  prepared(db, 'conversations_first_page', (d) =>
    d
      .select({ ...columns, snippet: sql<string | null>`null` })
      .from(conversations)
      .where(
        and(
          eq(conversations.userId, sql.placeholder('userId')),
          eq(conversations.archived, sql.placeholder('archived')),
        ),
      )
      .orderBy(desc(conversations.pinned), desc(conversations.lastMessageAt), desc(conversations.id))
      .limit(sql.placeholder('limit'))
      .prepare('conversations_first_page'),
  );

/**
 * Free text → a prefix tsquery ("lesson pla" → 'lesson':* & 'pla':*). Only letters and digits survive, so
 * nothing the user types can be tsquery syntax. Null when no word is left.
 */
export function toPrefixQuery(q: string): string | null {
  const words = (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
  return words.length ? words.map((w) => `'${w}':*`).join(' & ') : null;
}
