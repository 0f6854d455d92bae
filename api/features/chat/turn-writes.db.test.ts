/**
 * Chat turns written together over real SQL: one statement starts several turns (new conversations and an
 * existing one, with its title, model and repositories set) and one ends several answers (two of them in one
 * conversation, whose totals get both); a batch with one bad turn writes the others and fails only that one.
 */
import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, messages, tokenUsage } from '../../../db/schema/index';
import { createTestServices, type TestServices } from '../../../tests/helpers/test-app';
import { createCtx, systemActor } from '../../lib/ctx';
import { saveTurnEnd, saveTurnStart } from './turn-writes';
import type { TurnEnd, TurnStart } from './turns.repo';

let t: TestServices;
let userId: string;
let modelId: string;
let otherModelId: string;
beforeAll(async () => {
  t = await createTestServices({ jobs: 'none' });
  const admin = createCtx({ db: t.database.db, log: t.log, actor: systemActor('cli') });
  userId = (await t.services.users.create(admin, { email: 'turns@district.example', roles: ['staff'] })).id;
  modelId = (await t.services.models.create(admin, { provider: 'openai-compatible', modelId: 'turns-a' })).id;
  otherModelId = (
    await t.services.models.create(admin, { provider: 'openai-compatible', modelId: 'turns-b' })
  ).id;
});
afterAll(() => t?.close());

const at = new Date('2026-12-06T09:00:00.000Z');

function start(conversationId: string, opts: Partial<TurnStart> = {}): TurnStart & { answerId: string } {
  const userMessageId = randomUUID();
  const answerId = randomUUID();
  return {
    conversationId,
    answerId,
    create: { userId, title: `chat ${conversationId.slice(0, 4)}`, modelId, systemPrompt: null },
    messages: [
      {
        id: userMessageId,
        parentId: null,
        role: 'user',
        parts: [{ type: 'text', text: 'a question "with quotes" \\ and ünïcode' }],
        contentText: 'a question "with quotes" \\ and ünïcode',
        modelId: null,
        status: 'complete',
        requestId: 'req-1',
        createdAt: at,
      },
      {
        id: answerId,
        parentId: userMessageId,
        role: 'assistant',
        parts: [],
        contentText: '',
        modelId,
        status: 'streaming',
        requestId: 'req-1',
        createdAt: new Date(at.getTime() + 1),
      },
    ],
    leafId: answerId,
    at,
    ...opts,
  };
}

function end(conversationId: string, messageId: string, tokens: [number, number], cost: string): TurnEnd {
  return {
    conversationId,
    messageId,
    message: {
      parts: [{ type: 'text', text: `answer ${tokens.join('/')}` }],
      contentText: `answer ${tokens.join('/')}`,
      status: 'complete',
      finishReason: 'stop',
      error: null,
      inputTokens: tokens[0],
      outputTokens: tokens[1],
      cachedInputTokens: 1,
      reasoningTokens: 0,
      costUsd: cost,
      usageEstimated: false,
      latencyMs: 40,
      ttftMs: 12,
    },
    usage: {
      userId,
      modelId,
      surface: 'chat',
      inputTokens: tokens[0],
      outputTokens: tokens[1],
      cachedInputTokens: 1,
      reasoningTokens: 0,
      costUsd: cost,
      inputPricePerMillion: '2.5',
      outputPricePerMillion: '10',
      cachedInputPricePerMillion: null,
      requestId: `req-${messageId.slice(0, 4)}`,
      subjectId: conversationId,
    },
    at: new Date(at.getTime() + 5_000),
  };
}

describe('chat turns written together', () => {
  it('starts and ends turns of several conversations in one batch each', async () => {
    const db = t.database.db;
    // An existing conversation, then its next turn together with two new conversations' first turns.
    const existing = start(randomUUID());
    await saveTurnStart(db, existing);
    const repo = randomUUID();
    const next = start(existing.conversationId, {
      create: undefined,
      set: { title: 'renamed', modelId: otherModelId },
      repositoryIds: [repo],
      at: new Date(at.getTime() + 60_000),
    });
    const fresh = [start(randomUUID()), start(randomUUID())];
    await Promise.all([next, ...fresh].map((turn) => saveTurnStart(db, turn)));

    const convs = await db
      .select()
      .from(conversations)
      .where(inArray(conversations.id, [existing.conversationId, ...fresh.map((f) => f.conversationId)]));
    const byId = new Map(convs.map((c) => [c.id, c]));
    const updated = byId.get(existing.conversationId)!;
    expect(updated).toMatchObject({
      title: 'renamed',
      modelId: otherModelId,
      knowledgeRepositoryIds: [repo],
      messageCount: 4,
      currentLeafId: next.answerId,
    });
    expect(updated.lastMessageAt.toISOString()).toBe('2026-12-06T09:01:00.000Z');
    for (const f of fresh)
      expect(byId.get(f.conversationId)).toMatchObject({
        userId,
        title: f.create!.title,
        modelId,
        knowledgeRepositoryIds: [],
        messageCount: 2,
        currentLeafId: f.answerId,
      });
    const [question] = await db.select().from(messages).where(eq(messages.id, fresh[0]!.messages[0]!.id));
    expect(question).toMatchObject({
      role: 'user',
      status: 'complete',
      parts: fresh[0]!.messages[0]!.parts,
      contentText: 'a question "with quotes" \\ and ünïcode',
    });

    // Two answers of one conversation and one of another end together.
    await Promise.all([
      saveTurnEnd(db, end(existing.conversationId, existing.answerId, [10, 20], '0.000125')),
      saveTurnEnd(db, end(existing.conversationId, next.answerId, [1, 2], '0.000001')),
      saveTurnEnd(db, end(fresh[0]!.conversationId, fresh[0]!.answerId, [3, 4], '0.5')),
    ]);
    const [totals] = await db
      .select()
      .from(conversations)
      .where(eq(conversations.id, existing.conversationId));
    expect([totals!.totalTokens, Number(totals!.totalCostUsd)]).toEqual([33, 0.000126]);
    const [answer] = await db.select().from(messages).where(eq(messages.id, next.answerId));
    expect(answer).toMatchObject({
      status: 'complete',
      contentText: 'answer 1/2',
      finishReason: 'stop',
      inputTokens: 1,
      outputTokens: 2,
      cachedInputTokens: 1,
      latencyMs: 40,
      ttftMs: 12,
    });
    const ledger = await db
      .select()
      .from(tokenUsage)
      .where(inArray(tokenUsage.subjectId, [existing.conversationId, fresh[0]!.conversationId]));
    expect(ledger.map((r) => [r.inputTokens, r.outputTokens, Number(r.costUsd)]).sort()).toEqual([
      [1, 2, 0.000001],
      [10, 20, 0.000125],
      [3, 4, 0.5],
    ]);
    expect(ledger[0]).toMatchObject({ surface: 'chat', userId, modelId, inputPricePerMillion: '2.500000' });
  });

  it('fails only the turn that cannot be written; the others in its batch are saved', async () => {
    const db = t.database.db;
    const good = [start(randomUUID()), start(randomUUID())];
    // The next turn of a conversation that does not exist (deleted meanwhile): its messages have no parent row.
    const orphan = start(randomUUID(), { create: undefined });
    const outcomes = await Promise.allSettled(
      [good[0]!, orphan, good[1]!].map((turn) => saveTurnStart(db, turn)),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const saved = await db
      .select({ id: conversations.id })
      .from(conversations)
      .where(
        inArray(
          conversations.id,
          [...good, orphan].map((g) => g.conversationId),
        ),
      );
    expect(saved.map((s) => s.id).sort()).toEqual(good.map((g) => g.conversationId).sort());
    const orphanRows = await db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, orphan.conversationId));
    expect(orphanRows).toEqual([]);
  });
});
