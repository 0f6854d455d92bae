/**
 * The two writes of chat turns, each ONE statement of data-modifying CTEs for any number of turns: their
 * rows travel as one JSON parameter (jsonb_to_recordset), so the statement's text is the same for one turn
 * or a hundred and is prepared once per connection. Foreign keys are checked at the end of the statement, so
 * rows inserted by sibling CTEs satisfy them; every CTE runs, referenced or not, and the statement is atomic
 * like a transaction. Turns that run together are written together (turn-writes.ts): one commit for all.
 */
import { sql } from 'drizzle-orm';
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

const iso = (d: Date) => d.toISOString();

/**
 * Starts turns: creates or updates each turn's conversation and inserts its messages. At most one turn per
 * conversation in a call (the counters' update could not tell two apart).
 */
export async function saveTurnStarts(db: Queryable, turns: readonly TurnStart[]): Promise<void> {
  const conversations = turns.map((t) => ({
    id: t.conversationId,
    create: !!t.create,
    user_id: t.create?.userId ?? null,
    title: t.create?.title ?? t.set?.title ?? null,
    model_id: t.create?.modelId ?? t.set?.modelId ?? null,
    system_prompt: t.create?.systemPrompt ?? null,
    set_model: !!t.set,
    repos: t.repositoryIds ?? null,
    n: t.messages.length,
    leaf: t.leafId,
    at: iso(t.at),
  }));
  const messages = turns.flatMap((t) =>
    t.messages.map((m) => ({
      id: m.id,
      conversation_id: t.conversationId,
      parent_id: m.parentId,
      role: m.role,
      parts: m.parts,
      content_text: m.contentText,
      model_id: m.modelId,
      status: m.status,
      request_id: m.requestId,
      at: iso(m.createdAt),
    })),
  );
  await db.execute(sql`
    with c as (
      select * from jsonb_to_recordset(${JSON.stringify(conversations)}::jsonb) as x(id uuid, "create" boolean,
        user_id uuid, title text, model_id uuid, system_prompt text, set_model boolean, repos uuid[], n int,
        leaf uuid, at timestamptz)
    ),
    created as (
      insert into conversations (id, user_id, title, model_id, system_prompt, knowledge_repository_ids, message_count,
        current_leaf_id, last_message_at, created_at, updated_at)
      select id, user_id, title, model_id, system_prompt, coalesce(repos, '{}'), n, leaf, at, at, at from c where "create"
    ),
    updated as (
      update conversations t set message_count = t.message_count + c.n, current_leaf_id = c.leaf,
        last_message_at = c.at, updated_at = c.at,
        title = case when c.set_model then c.title else t.title end,
        model_id = case when c.set_model then c.model_id else t.model_id end,
        knowledge_repository_ids = coalesce(c.repos, t.knowledge_repository_ids)
      from c where not c."create" and t.id = c.id
    ),
    msgs as (
      insert into messages (id, conversation_id, parent_id, role, parts, content_text, model_id, status, request_id,
        created_at, updated_at)
      select id, conversation_id, parent_id, role, parts, content_text, model_id, status, request_id, at, at
      from jsonb_to_recordset(${JSON.stringify(messages)}::jsonb) as m(id uuid, conversation_id uuid, parent_id uuid,
        role text, parts jsonb, content_text text, model_id uuid, status text, request_id text, at timestamptz)
    )
    select 1`);
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

/** Ends turns: completes each answer, adds to its conversation's totals and writes its ledger row. */
export async function saveTurnEnds(db: Queryable, ends: readonly TurnEnd[]): Promise<void> {
  const answers = ends.map(({ conversationId, messageId, message: m, at }) => ({
    id: messageId,
    conversation_id: conversationId,
    parts: m.parts,
    content_text: m.contentText,
    status: m.status,
    finish_reason: m.finishReason,
    error: m.error,
    input_tokens: m.inputTokens,
    output_tokens: m.outputTokens,
    cached_input_tokens: m.cachedInputTokens,
    reasoning_tokens: m.reasoningTokens,
    cost_usd: m.costUsd,
    usage_estimated: m.usageEstimated,
    latency_ms: m.latencyMs,
    ttft_ms: m.ttftMs,
    at: iso(at),
  }));
  const ledger = ends.flatMap(({ usage: u, at }) =>
    u
      ? [
          {
            user_id: u.userId ?? null,
            model_id: u.modelId,
            surface: u.surface,
            input_tokens: u.inputTokens ?? 0,
            output_tokens: u.outputTokens ?? 0,
            cached_input_tokens: u.cachedInputTokens ?? 0,
            reasoning_tokens: u.reasoningTokens ?? 0,
            cost_usd: u.costUsd,
            input_price: u.inputPricePerMillion ?? null,
            output_price: u.outputPricePerMillion ?? null,
            cached_input_price: u.cachedInputPricePerMillion ?? null,
            estimated: u.estimated ?? false,
            request_id: u.requestId ?? null,
            subject_id: u.subjectId ?? null,
            at: iso(u.createdAt ?? at),
          },
        ]
      : [],
  );
  await db.execute(sql`
    with e as (
      select * from jsonb_to_recordset(${JSON.stringify(answers)}::jsonb) as x(id uuid, conversation_id uuid, parts jsonb,
        content_text text, status text, finish_reason text, error text, input_tokens int, output_tokens int,
        cached_input_tokens int, reasoning_tokens int, cost_usd numeric, usage_estimated boolean, latency_ms int,
        ttft_ms int, at timestamptz)
    ),
    answer as (
      update messages m set parts = e.parts, content_text = e.content_text, status = e.status,
        finish_reason = e.finish_reason, error = e.error, input_tokens = e.input_tokens,
        output_tokens = e.output_tokens, cached_input_tokens = e.cached_input_tokens,
        reasoning_tokens = e.reasoning_tokens, cost_usd = e.cost_usd, usage_estimated = e.usage_estimated,
        latency_ms = e.latency_ms, ttft_ms = e.ttft_ms, updated_at = e.at
      from e where m.id = e.id
    ),
    totals as (
      update conversations c set total_tokens = c.total_tokens + s.tokens, total_cost_usd = c.total_cost_usd + s.cost,
        updated_at = s.at
      from (
        select conversation_id, sum(input_tokens + output_tokens) as tokens, sum(cost_usd) as cost, max(at) as at
        from e group by conversation_id
      ) s
      where c.id = s.conversation_id
    ),
    ledger as (
      insert into token_usage (user_id, model_id, surface, input_tokens, output_tokens, cached_input_tokens,
        reasoning_tokens, cost_usd, input_price_per_million, output_price_per_million, cached_input_price_per_million,
        estimated, request_id, subject_id, created_at)
      select user_id, model_id, surface, input_tokens, output_tokens, cached_input_tokens, reasoning_tokens, cost_usd,
        input_price, output_price, cached_input_price, estimated, request_id, subject_id, at
      from jsonb_to_recordset(${JSON.stringify(ledger)}::jsonb) as u(user_id uuid, model_id uuid, surface text,
        input_tokens int, output_tokens int, cached_input_tokens int, reasoning_tokens int, cost_usd numeric,
        input_price numeric, output_price numeric, cached_input_price numeric, estimated boolean, request_id text,
        subject_id uuid, at timestamptz)
    )
    select 1`);
}
