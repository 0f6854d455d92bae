/**
 * Admission and durability of model calls over real HTTP and a fake upstream (issue 9, items 4 and 5;
 * issue 10, item 6): a budget reserved before each call holds under fifty parallel calls; per-person
 * concurrent answers and requests per minute are capped; answers are saved partially while they stream;
 * rows a dead process left streaming are failed at start-up with their text and an estimate billed; a
 * shutdown drain finishes or saves running answers within its timeout.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_CONCURRENT_KEY, RATE_PER_MINUTE_KEY } from '../../api/ai/run';
import { INTERRUPTED_REASON } from '../../api/features/chat/chat.service';
import {
  budgetReservations,
  comparisonResults,
  comparisonTurns,
  messages,
  tokenUsage,
} from '../../db/schema/index';
import { sweepAtStartup } from '../../workers/jobs/interrupted-answers.job';
import {
  type ChatFixture,
  eventually,
  type Person,
  PRICES,
  readAll,
  sendBody,
  startChatFixture,
  textOf,
  uiChunks,
} from '../helpers/chat-fixture';

let f: ChatFixture;
let secondModelId: string;

beforeAll(async () => {
  f = await startChatFixture();
  secondModelId = (
    await f.app.services.models.create(f.app.services.systemCtx(), {
      provider: 'openai-compatible',
      modelId: 'fake-small',
      displayName: 'Fake Small',
      baseUrl: f.fake.baseURL,
      ...PRICES,
    })
  ).id;
});
afterAll(async () => {
  await f?.close();
});
beforeEach(async () => {
  await f.app.services.chat.drain(5_000);
  f.fake.reset();
  f.app.services.calls.idleTimeoutMs = 120_000;
  f.app.services.calls.checkpointMs = 3_000;
});
afterEach(async () => {
  await setting(MAX_CONCURRENT_KEY, '20');
  await setting(RATE_PER_MINUTE_KEY, '120');
});

const db = () => f.app.database.db;
const sys = () => f.app.services.systemCtx();
const setting = (key: string, value: string) => f.app.services.settings.set(sys(), { key, value });
const chat = (who: Person, text = 'Hello', init: RequestInit = {}) =>
  f.call(who, '/api/chat', { method: 'POST', json: sendBody(text, { modelId: f.modelId }), ...init });
const messageRow = async (id: string) => (await db().select().from(messages).where(eq(messages.id, id)))[0]!;

async function budgeted(email: string, limitTokens: number): Promise<Person> {
  const person = await f.signUp(email);
  const res = await f.call(f.admin, '/api/admin/budgets', {
    method: 'POST',
    json: { scope: 'user', userId: person.id, limitTokens },
  });
  expect(res.status).toBe(201);
  return person;
}

describe('budgets under concurrency (9.4)', () => {
  it('lets at most a couple of 50 parallel chats through with 100 tokens left; the rest get 429', async () => {
    await setting(MAX_CONCURRENT_KEY, '100'); // only the budget decides here
    const person = await budgeted('parallel@district.example', 100);
    f.fake.script({ chunks: ['An', ' answer'], usage: { inputTokens: 30, outputTokens: 40 } });
    const responses = await Promise.all(Array.from({ length: 50 }, () => chat(person, 'Spend')));
    const ok = responses.filter((r) => r.status === 200);
    await Promise.all(ok.map((r) => readAll(r)));
    const refused = responses.filter((r) => r.status === 429);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(ok.length).toBeLessThanOrEqual(2);
    expect(refused).toHaveLength(50 - ok.length);
    const codes = await Promise.all(
      refused.map(async (r) => ((await r.json()) as { error: { code: string } }).error.code),
    );
    expect(new Set(codes)).toEqual(new Set(['budget_exceeded:chat']));
    // Every reservation is released once its usage is in the ledger.
    await eventually(async () => {
      const held = await db()
        .select()
        .from(budgetReservations)
        .where(eq(budgetReservations.userId, person.id));
      return held.length === 0 ? true : undefined;
    });
    const spent = await db().select().from(tokenUsage).where(eq(tokenUsage.userId, person.id));
    expect(spent).toHaveLength(ok.length);
  });

  it('holds through the OpenAI-compatible API too', async () => {
    await setting(MAX_CONCURRENT_KEY, '100');
    const person = await budgeted('api-parallel@district.example', 100);
    const { secret } = await f.app.services.apiKeys.createForEmail(sys(), 'api-parallel@district.example', {
      name: 'parallel',
      scopes: ['chat'],
    });
    f.fake.script({ chunks: ['Fine'], usage: { inputTokens: 30, outputTokens: 40 } });
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        f.app.fetch('/api/v1/chat/completions', {
          method: 'POST',
          headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'fake-large', messages: [{ role: 'user', content: 'Spend' }] }),
        }),
      ),
    );
    const bodies = await Promise.all(
      responses.map(async (r) => ({ status: r.status, body: await r.json() })),
    );
    const ok = bodies.filter((b) => b.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(ok.length).toBeLessThanOrEqual(2);
    for (const b of bodies.filter((x) => x.status !== 200)) {
      expect(b).toMatchObject({ status: 429, body: { error: { code: 'insufficient_quota' } } });
    }
    expect(await db().select().from(tokenUsage).where(eq(tokenUsage.userId, person.id))).toHaveLength(
      ok.length,
    );
  });
});

describe('one message within the budget (15.8)', () => {
  const sentCap = () => {
    const body = f.fake.lastRequest().body as { max_tokens?: number; max_completion_tokens?: number };
    return body.max_tokens ?? body.max_completion_tokens;
  };

  it('caps the answer at the tokens left after the prompt, and refuses a prompt larger than what is left', async () => {
    const person = await budgeted('one-message@district.example', 500);
    f.fake.script({ chunks: ['Short'], usage: { inputTokens: 5, outputTokens: 3 } });
    const res = await chat(person, 'Spend a little');
    expect(res.status).toBe(200);
    await readAll(res);
    // 500 tokens left, minus the prompt's estimate: the answer may not run past the budget.
    expect(sentCap()).toBeGreaterThan(450);
    expect(sentCap()).toBeLessThan(500);
    // 492 left now; a prompt of about 1,250 tokens is refused before anything is sent upstream.
    const sent = f.fake.requests.length;
    const long = await chat(person, 'word '.repeat(1000));
    expect(long.status).toBe(429);
    const body = (await long.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: 'budget_exceeded:chat' });
    expect(body.error.message).toMatch(
      /^This message is too long for what is left of your monthly AI budget/,
    );
    expect(f.fake.requests.length).toBe(sent);
  });

  it('caps by cost too: $0.001 left at $10 per 1M output tokens is about 100 tokens of answer', async () => {
    const person = await f.signUp('one-message-cost@district.example');
    const created = await f.call(f.admin, '/api/admin/budgets', {
      method: 'POST',
      json: { scope: 'user', userId: person.id, limitCostUsd: '0.001' },
    });
    expect(created.status).toBe(201);
    f.fake.script({ chunks: ['Short'], usage: { inputTokens: 5, outputTokens: 3 } });
    const res = await chat(person, 'Spend a little');
    expect(res.status).toBe(200);
    await readAll(res);
    expect(sentCap()).toBeGreaterThan(90);
    expect(sentCap()).toBeLessThanOrEqual(100);
  });

  it('leaves the answer alone when the budget has room beyond the usual reserve', async () => {
    const person = await budgeted('one-message-roomy@district.example', 1_000_000);
    f.fake.script({ chunks: ['Short'], usage: { inputTokens: 5, outputTokens: 3 } });
    await readAll(await chat(person, 'Spend a little'));
    expect(sentCap()).toBeUndefined();
  });
});

describe('per-person limits (9.4)', () => {
  it('caps the answers one person has streaming at once', async () => {
    await setting(MAX_CONCURRENT_KEY, '1');
    const person = await f.signUp('one-at-a-time@district.example');
    f.fake.script({ chunks: ['slow', ' answer'], hangAfterChunks: 1 });
    const first = await chat(person, 'First');
    expect(first.status).toBe(200);
    const second = await chat(person, 'Second');
    expect(second.status).toBe(429);
    expect(await second.json()).toMatchObject({ error: { code: 'rate_limit:chat' } });
    // Someone else is not limited by this person's answers.
    f.fake.script({ chunks: ['ok'] });
    const other = await chat(f.staff, 'Other');
    expect(other.status).toBe(200);
    await readAll(other);
    const stop = await f.call(person, `/api/chat/${first.headers.get('x-message-id')}/stop`, {
      method: 'POST',
    });
    expect(await stop.json()).toEqual({ stopped: true });
    await readAll(first);
    const third = await chat(person, 'Third');
    expect(third.status).toBe(200);
    await readAll(third);
  });

  it('limits chat messages and comparisons per minute, with Retry-After', async () => {
    await setting(RATE_PER_MINUTE_KEY, '2');
    const person = await f.signUp('hasty@district.example');
    f.fake.script({ chunks: ['ok'] });
    for (let i = 0; i < 2; i++) {
      const res = await chat(person, `Message ${i}`);
      expect(res.status).toBe(200);
      await readAll(res);
    }
    const refused = await chat(person, 'One too many');
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: { code: 'rate_limit:chat' } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const compare = await f.call(person, '/api/comparisons', {
      method: 'POST',
      json: { prompt: 'Compare', modelIds: [f.modelId, secondModelId] },
    });
    expect(compare.status).toBe(429);
    expect(await compare.json()).toMatchObject({ error: { code: 'rate_limit:compare' } });
  });
});

describe('crash mid-stream (9.5)', () => {
  it('saves the answer so far while it streams (chat and compare)', async () => {
    f.app.services.calls.checkpointMs = 50;
    f.fake.script({
      chunks: ['Saved ', 'as ', 'it ', 'goes ', 'never'],
      interChunkDelayMs: 80,
      hangAfterChunks: 4,
    });
    const res = await chat(f.staff, 'Go slowly');
    const id = res.headers.get('x-message-id')!;
    const partial = await eventually(async () => {
      const m = await messageRow(id);
      return m.status === 'streaming' && m.contentText.length >= 'Saved as'.length ? m : undefined;
    });
    expect('Saved as it goes '.startsWith(partial.contentText)).toBe(true);
    expect(partial.parts).toContainEqual({ type: 'text', text: partial.contentText });
    await f.call(f.staff, `/api/chat/${id}/stop`, { method: 'POST' });
    await readAll(res);

    const abort = new AbortController();
    const run = await f.call(f.staff, '/api/comparisons', {
      method: 'POST',
      json: { prompt: 'Go slowly', modelIds: [f.modelId, secondModelId] },
      signal: abort.signal,
    });
    const comparisonId = run.headers.get('x-comparison-id')!;
    const rows = await eventually(async () => {
      const found = await db()
        .select({ status: comparisonResults.status, text: comparisonResults.text })
        .from(comparisonResults)
        .innerJoin(comparisonTurns, eq(comparisonTurns.id, comparisonResults.turnId))
        .where(eq(comparisonTurns.comparisonId, comparisonId));
      return found.length === 2 && found.every((r) => r.status === 'streaming' && r.text.length >= 8)
        ? found
        : undefined;
    });
    for (const r of rows) expect('Saved as it goes '.startsWith(r.text)).toBe(true);
    abort.abort();
  });

  it('fails rows a dead process left streaming at start-up, keeping the text and billing an estimate', async () => {
    // A finished chat and comparison to hang the orphans on, as another instance would have left them.
    f.fake.script({ chunks: ['Done.'] });
    const done = await chat(f.staff, 'Twelve chars');
    await readAll(done);
    const conversationId = done.headers.get('x-conversation-id')!;
    const userMessageId = (await messageRow(done.headers.get('x-message-id')!)).parentId!;
    const orphanText = 'Half an answer, then the process died';
    const orphanId = randomUUID();
    await db()
      .insert(messages)
      .values({
        id: orphanId,
        conversationId,
        parentId: userMessageId,
        role: 'assistant',
        modelId: f.modelId,
        status: 'streaming',
        parts: [{ type: 'step-start' }, { type: 'text', text: orphanText }],
        contentText: orphanText,
      });
    const cmp = await f.call(f.staff, '/api/comparisons', {
      method: 'POST',
      json: { prompt: 'Compare this', modelIds: [f.modelId, secondModelId] },
    });
    await cmp.text();
    const comparisonId = cmp.headers.get('x-comparison-id')!;
    const [turn] = await db()
      .select()
      .from(comparisonTurns)
      .where(eq(comparisonTurns.comparisonId, comparisonId));
    const [orphanResult] = await db()
      .insert(comparisonResults)
      .values({
        turnId: turn!.id,
        kind: 'fusion',
        column: -1,
        modelId: f.modelId,
        modelName: 'Fake Large',
        text: orphanText,
        status: 'streaming',
      })
      .returning();
    // A row another live instance is still writing (it moved just now) is left alone by a Postgres sweep.
    await sweepAtStartup(f.app.services, false).then((cancel) => cancel());
    expect((await messageRow(orphanId)).status).toBe('streaming');

    await sweepAtStartup(f.app.services, true); // embedded: this process owns the data; all are orphans
    const failed = await messageRow(orphanId);
    const estimate = Math.ceil(orphanText.length / 4);
    expect(failed).toMatchObject({
      status: 'failed',
      error: INTERRUPTED_REASON,
      contentText: orphanText,
      usageEstimated: true,
      outputTokens: estimate,
      inputTokens: 3,
    });
    const chatLedger = await db()
      .select()
      .from(tokenUsage)
      .where(and(eq(tokenUsage.subjectId, conversationId), eq(tokenUsage.estimated, true)));
    expect(chatLedger).toMatchObject([{ surface: 'chat', outputTokens: estimate, userId: f.staff.id }]);
    expect(Number(chatLedger[0]!.costUsd)).toBeGreaterThan(0);
    // The UI reads it as a failed answer with its text and the reason (it offers Regenerate).
    const view = (await (await f.call(f.staff, `/api/conversations/${conversationId}/messages`)).json()) as {
      messages: Array<{ id: string; status: string; error: string; parts: unknown[] }>;
    };
    expect(view.messages.find((m) => m.id === orphanId)).toMatchObject({
      status: 'failed',
      error: INTERRUPTED_REASON,
      parts: expect.arrayContaining([{ type: 'text', text: orphanText }]),
    });

    const [result] = await db()
      .select()
      .from(comparisonResults)
      .where(eq(comparisonResults.id, orphanResult!.id));
    expect(result).toMatchObject({ status: 'failed', text: orphanText, outputTokens: estimate });
    const compareLedger = await db()
      .select()
      .from(tokenUsage)
      .where(and(eq(tokenUsage.subjectId, comparisonId), eq(tokenUsage.estimated, true)));
    expect(compareLedger).toMatchObject([{ surface: 'compare', outputTokens: estimate }]);
    // A second sweep finds nothing left and bills nothing twice.
    await sweepAtStartup(f.app.services, true);
    const estimated = await db()
      .select({ n: sql<number>`count(*)::int` })
      .from(tokenUsage)
      .where(
        and(inArray(tokenUsage.subjectId, [conversationId, comparisonId]), eq(tokenUsage.estimated, true)),
      );
    expect(estimated).toEqual([{ n: 2 }]);
  });
});

describe('shutdown drain (10.6)', () => {
  it('lets a short answer finish, and saves a long one as interrupted within the timeout', async () => {
    f.fake.enqueue(
      { chunks: ['Quick', ' one'], interChunkDelayMs: 50 },
      { chunks: Array.from({ length: 100 }, (_, i) => `w${i} `), interChunkDelayMs: 100 },
    );
    const quick = await chat(f.staff, 'Quick');
    const long = await chat(f.staff, 'Long');
    for await (const c of uiChunks(long)) if (c.chunk.type === 'text-delta') break;
    const started = Date.now();
    await f.app.services.calls.drain(800, INTERRUPTED_REASON);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(f.app.services.calls.activeRuns).toBe(0);
    expect(textOf(await readAll(quick))).toBe('Quick one');
    expect(await messageRow(quick.headers.get('x-message-id')!)).toMatchObject({ status: 'complete' });
    const saved = await messageRow(long.headers.get('x-message-id')!);
    expect(saved).toMatchObject({ status: 'failed', error: INTERRUPTED_REASON, usageEstimated: true });
    expect(saved.contentText).toMatch(/^w0 w1 /);
    expect(await f.fake.lastRequest().outcome).toBe('client-closed');
  });
});
