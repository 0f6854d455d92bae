import { and, asc, eq, getTableColumns, sql } from 'drizzle-orm';
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

/** The answer so far, while it streams (a crash keeps it; the final write replaces it). */
export async function savePartialAnswer(
  db: Queryable,
  id: string,
  parts: StoredPart[],
  contentText: string,
): Promise<void> {
  await db
    .update(messages)
    .set({ parts, contentText, updatedAt: sql`now()` })
    .where(and(eq(messages.id, id), eq(messages.status, 'streaming')));
}

/**
 * Answers still marked streaming since before `cutoff` belong to a process that died (issue 9.5): mark
 * them failed with their partial text, and bill an estimate of what was generated (~4 characters a token;
 * input counted from the question only) in the ledger, flagged as estimated. One statement: a row another
 * sweeper already failed is skipped (its status is re-checked under the row lock), so nothing is billed
 * twice.
 */
export async function failStaleStreaming(db: Queryable, cutoff: Date, reason: string): Promise<number> {
  const rows = await db.execute<{ id: string }>(sql`
    with stale as (
      select m.id, c.user_id, m.conversation_id, m.model_id,
        case when length(m.content_text) > 0 then ceil(length(coalesce(q.content_text, '')) / 4.0)::int else 0 end as input_tokens,
        ceil(length(m.content_text) / 4.0)::int as output_tokens,
        am.input_price_per_million as ip, am.output_price_per_million as op, am.cached_input_price_per_million as cp
      from messages m
      join conversations c on c.id = m.conversation_id
      left join messages q on q.id = m.parent_id
      left join ai_models am on am.id = m.model_id
      where m.status = 'streaming' and m.updated_at < ${cutoff.toISOString()}::timestamptz
    ),
    priced as (
      select *, ((input_tokens * coalesce(ip, 0) + output_tokens * coalesce(op, 0)) / 1000000)::numeric(20, 12) as cost
      from stale
    ),
    failed as (
      update messages m set status = 'failed', error = ${reason}, finish_reason = 'error',
        input_tokens = p.input_tokens, output_tokens = p.output_tokens, cost_usd = p.cost,
        usage_estimated = p.output_tokens > 0, updated_at = now()
      from priced p
      where m.id = p.id and m.status = 'streaming'
      returning p.*
    ),
    ledger as (
      insert into token_usage (user_id, model_id, surface, input_tokens, output_tokens, cost_usd,
        input_price_per_million, output_price_per_million, cached_input_price_per_million, estimated, subject_id)
      select user_id, model_id, 'chat', input_tokens, output_tokens, cost, ip, op, cp, true, conversation_id
      from failed where output_tokens > 0 and model_id is not null
      returning 1
    ),
    totals as (
      update conversations c set total_tokens = c.total_tokens + f.tokens, total_cost_usd = c.total_cost_usd + f.cost
      from (select conversation_id, sum(input_tokens + output_tokens) as tokens, sum(cost) as cost
            from failed group by conversation_id) f
      where c.id = f.conversation_id
      returning 1
    )
    select id from failed`);
  return [...rows].length;
}
