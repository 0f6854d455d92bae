/**
 * The two writes of a chat turn, each ONE statement (data-modifying CTEs): a turn costs two round trips
 * to the database, not two transactions of five statements. Foreign keys are checked at the end of the
 * statement, so rows inserted by sibling CTEs satisfy them; the statement is atomic like a transaction.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../../../db/client';
import type { StoredPart } from '../../../db/schema/index';
import type { NewUsageRow } from '../usage/usage.repo';

export interface TurnStart {
  conversationId: string;
  /** Set when the conversation is new: inserted with these values. */
  create?: { userId: string; title: string; modelId: string; systemPrompt: string | null };
  /** For an existing conversation: also set these. */
  set?: { title: string; modelId: string };
  /** The knowledge repositories attached to the conversation, when the turn names them. */
  repositoryIds?: string[];
  messages: Array<{
    id: string;
    parentId: string | null;
    role: 'user' | 'assistant';
    parts: StoredPart[];
    contentText: string;
    modelId: string | null;
    status: 'complete' | 'streaming';
    requestId: string;
    createdAt: Date;
  }>;
  leafId: string;
  at: Date;
}

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

export async function saveTurnStart(db: Queryable, t: TurnStart): Promise<void> {
  const values = sql.join(
    t.messages.map(
      (m) =>
        sql`(${m.id}::uuid, ${t.conversationId}::uuid, ${m.parentId}::uuid, ${m.role}, ${JSON.stringify(m.parts)}::jsonb, ${m.contentText}, ${m.modelId}::uuid, ${m.status}, ${m.requestId}, ${ts(m.createdAt)}, ${ts(m.createdAt)})`,
    ),
    sql`, `,
  );
  const n = t.messages.length;
  const repos = sql`${`{${(t.repositoryIds ?? []).join(',')}}`}::uuid[]`;
  const conversation: SQL = t.create
    ? sql`insert into conversations (id, user_id, title, model_id, system_prompt, knowledge_repository_ids, message_count, current_leaf_id, last_message_at, created_at, updated_at)
          values (${t.conversationId}::uuid, ${t.create.userId}::uuid, ${t.create.title}, ${t.create.modelId}::uuid, ${t.create.systemPrompt}, ${repos}, ${n}, ${t.leafId}::uuid, ${ts(t.at)}, ${ts(t.at)}, ${ts(t.at)})
          returning id`
    : sql`update conversations set message_count = message_count + ${n}, current_leaf_id = ${t.leafId}::uuid,
          last_message_at = ${ts(t.at)}, updated_at = ${ts(t.at)}
          ${t.set ? sql`, title = ${t.set.title}, model_id = ${t.set.modelId}::uuid` : sql``}
          ${t.repositoryIds ? sql`, knowledge_repository_ids = ${repos}` : sql``}
          where id = ${t.conversationId}::uuid returning id`;
  await db.execute(sql`
    with conv as (${conversation}),
    msgs as (
      insert into messages (id, conversation_id, parent_id, role, parts, content_text, model_id, status, request_id, created_at, updated_at)
      values ${values} returning id
    )
    select (select count(*) from conv) as conversations, (select count(*) from msgs) as messages`);
}

export interface TurnEnd {
  conversationId: string;
  messageId: string;
  message: {
    parts: StoredPart[];
    contentText: string;
    status: 'complete' | 'failed' | 'stopped';
    finishReason: string | null;
    error: string | null;
    inputTokens: number;
    outputTokens: number;
    cachedInputTokens: number;
    reasoningTokens: number;
    costUsd: string;
    usageEstimated: boolean;
    latencyMs: number;
    ttftMs: number | null;
  };
  /** The ledger row, when the call used tokens. */
  usage: NewUsageRow | null;
  at: Date;
}

export async function saveTurnEnd(db: Queryable, t: TurnEnd): Promise<void> {
  const m = t.message;
  const u = t.usage;
  const usage = u
    ? sql`, ledger as (
        insert into token_usage (user_id, model_id, surface, input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, cost_usd,
          input_price_per_million, output_price_per_million, cached_input_price_per_million, estimated, request_id, subject_id, created_at)
        values (${u.userId}::uuid, ${u.modelId}::uuid, ${u.surface}, ${u.inputTokens}, ${u.outputTokens}, ${u.cachedInputTokens}, ${u.reasoningTokens},
          ${u.costUsd}::numeric, ${u.inputPricePerMillion}::numeric, ${u.outputPricePerMillion}::numeric, ${u.cachedInputPricePerMillion}::numeric,
          ${u.estimated ?? false}, ${u.requestId}, ${u.subjectId}::uuid, ${ts(u.createdAt ?? t.at)})
        returning 1)`
    : sql``;
  await db.execute(sql`
    with answer as (
      update messages set parts = ${JSON.stringify(m.parts)}::jsonb, content_text = ${m.contentText}, status = ${m.status},
        finish_reason = ${m.finishReason}, error = ${m.error}, input_tokens = ${m.inputTokens}, output_tokens = ${m.outputTokens},
        cached_input_tokens = ${m.cachedInputTokens}, reasoning_tokens = ${m.reasoningTokens}, cost_usd = ${m.costUsd}::numeric,
        usage_estimated = ${m.usageEstimated}, latency_ms = ${m.latencyMs}, ttft_ms = ${m.ttftMs}, updated_at = ${ts(t.at)}
      where id = ${t.messageId}::uuid returning 1
    ),
    totals as (
      update conversations set total_tokens = total_tokens + ${m.inputTokens + m.outputTokens},
        total_cost_usd = total_cost_usd + ${m.costUsd}::numeric, updated_at = ${ts(t.at)}
      where id = ${t.conversationId}::uuid returning 1
    )${usage}
    select 1`);
}
