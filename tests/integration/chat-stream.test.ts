/**
 * POST /api/chat over real HTTP against a fake OpenAI-compatible upstream: incremental streaming, durability
 * when the browser goes away, explicit stop, upstream failures (500, cut, silence), budgets (429 with the
 * reset date) and exact usage accounting.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { computeCost, parseUsdToPico } from '../../api/ai/usage';
import { messages, tokenUsage } from '../../db/schema/index';
import {
  type ChatFixture,
  eventually,
  PRICES,
  readAll,
  sendBody,
  startChatFixture,
  textOf,
  uiChunks,
} from '../helpers/chat-fixture';

let f: ChatFixture;

beforeAll(async () => {
  f = await startChatFixture();
});
afterAll(async () => {
  await f?.close();
});
beforeEach(async () => {
  // Answers of the previous test may still be finishing in the background: let them land first.
  await f.app.services.chat.drain(5_000);
  f.fake.reset();
  f.app.services.chat.idleTimeoutMs = 120_000;
});

const db = () => f.app.database.db;
const message = async (id: string) => (await db().select().from(messages).where(eq(messages.id, id)))[0];
const usageRows = (subjectId: string) =>
  db().select().from(tokenUsage).where(eq(tokenUsage.subjectId, subjectId));

function chat(body: Record<string, unknown>, init: RequestInit = {}, who = f.staff) {
  return f.call(who, '/api/chat', { method: 'POST', json: body, ...init });
}

describe('streaming', () => {
  it('streams text incrementally and saves the answer with usage once it ends', async () => {
    f.fake.script({
      chunks: ['One', ' two', ' three', ' four'],
      interChunkDelayMs: 120,
      usage: { inputTokens: 21, outputTokens: 4 },
    });
    const res = await chat(sendBody('Count to four', { modelId: f.modelId }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    const chunks = await readAll(res);
    const deltas = chunks.filter((c) => c.chunk.type === 'text-delta');
    expect(deltas).toHaveLength(4);
    // Arrived as they were produced, not in one piece at the end.
    expect(deltas[3]!.at - deltas[0]!.at).toBeGreaterThan(250);
    expect(textOf(chunks)).toBe('One two three four');

    const start = chunks[0]!.chunk;
    expect(start.type).toBe('start');
    const finish = chunks.at(-1)!.chunk;
    expect(finish).toMatchObject({
      type: 'finish',
      messageMetadata: { status: 'complete', usage: { inputTokens: 21, outputTokens: 4 } },
    });
    const id = res.headers.get('x-message-id')!;
    expect(start.type === 'start' && start.messageId).toBe(id);
    const saved = await message(id);
    expect(saved).toMatchObject({
      status: 'complete',
      inputTokens: 21,
      outputTokens: 4,
      finishReason: 'stop',
    });
    expect(saved!.parts.filter((p) => p.type === 'text')).toEqual([
      { type: 'text', text: 'One two three four' },
    ]);
    expect(saved!.ttftMs).toBeGreaterThanOrEqual(0);
    expect(saved!.latencyMs).toBeGreaterThanOrEqual(360);
  });

  it('sends the conversation history, system prompt and only the branch to the model', async () => {
    const first = await chat(
      sendBody('My name is Ada.', { modelId: f.modelId, systemPrompt: 'Answer in one word.' }),
    );
    await readAll(first);
    const conversationId = first.headers.get('x-conversation-id')!;
    const res = await chat(sendBody('What is my name?', { conversationId }));
    await readAll(res);
    const sent = f.fake.lastRequest().body as { messages: Array<{ role: string; content: unknown }> };
    expect(sent.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(JSON.stringify(sent.messages[0])).toContain('Answer in one word.');
    expect(JSON.stringify(sent.messages[1])).toContain('My name is Ada.');
    expect(JSON.stringify(sent.messages[3])).toContain('What is my name?');
  });
});

describe('durability', () => {
  it('finishes and saves the full answer and usage when the browser disconnects mid-answer', async () => {
    const chunks = Array.from({ length: 10 }, (_, i) => `w${i} `);
    f.fake.script({ chunks, interChunkDelayMs: 60, usage: { inputTokens: 30, outputTokens: 10 } });
    const browser = new AbortController();
    const res = await chat(sendBody('Tell me a story', { modelId: f.modelId }), { signal: browser.signal });
    const id = res.headers.get('x-message-id')!;
    const conversationId = res.headers.get('x-conversation-id')!;
    let seen = 0;
    try {
      for await (const c of uiChunks(res)) {
        if (c.chunk.type === 'text-delta' && ++seen === 2) browser.abort();
      }
    } catch {
      // the aborted read
    }
    expect(seen).toBe(2);
    const saved = await eventually(async () => {
      const m = await message(id);
      return m?.status === 'streaming' ? undefined : m;
    });
    expect(saved).toMatchObject({ status: 'complete', outputTokens: 10, inputTokens: 30 });
    expect(saved!.parts.find((p) => p.type === 'text')).toEqual({ type: 'text', text: chunks.join('') });
    expect(await f.fake.lastRequest().outcome).toBe('completed');
    const usage = await usageRows(conversationId);
    expect(usage).toHaveLength(1);
    expect(usage[0]).toMatchObject({
      inputTokens: 30,
      outputTokens: 10,
      surface: 'chat',
      userId: f.staff.id,
    });
  });

  it('stop aborts the upstream call and saves the partial answer as stopped', async () => {
    f.fake.script({ chunks: Array.from({ length: 40 }, () => 'x'), interChunkDelayMs: 50 });
    const res = await chat(sendBody('Go on forever', { modelId: f.modelId }));
    const id = res.headers.get('x-message-id')!;
    const chunks = [];
    let deltas = 0;
    for await (const c of uiChunks(res)) {
      chunks.push(c);
      if (c.chunk.type === 'text-delta' && ++deltas === 3) {
        const stop = await f.call(f.staff, `/api/chat/${id}/stop`, { method: 'POST' });
        expect(stop.status).toBe(200);
        expect(await stop.json()).toEqual({ stopped: true });
      }
    }
    expect(await f.fake.lastRequest().outcome).toBe('client-closed');
    const saved = await message(id);
    expect(saved!.status).toBe('stopped');
    const text = String(saved!.parts.find((p) => p.type === 'text')?.text ?? '');
    expect(text.length).toBeGreaterThanOrEqual(3);
    expect(text.length).toBeLessThan(40);
    expect(chunks.some((c) => c.chunk.type === 'abort')).toBe(true);
    const meta = chunks.find((c) => c.chunk.type === 'message-metadata')?.chunk;
    expect(meta).toMatchObject({ messageMetadata: { status: 'stopped' } });
    // Stopping again, or a finished answer: nothing to stop. Someone else's answer: 404.
    expect(await (await f.call(f.staff, `/api/chat/${id}/stop`, { method: 'POST' })).json()).toEqual({
      stopped: false,
    });
    expect((await f.call(f.admin, `/api/chat/${id}/stop`, { method: 'POST' })).status).toBe(404);
  });
});

describe('upstream failures', () => {
  it('a 500 before any token: failed with a readable reason, an error chunk, the question kept', async () => {
    f.fake.script({ chunks: [], fail: { status: 500, message: 'overloaded' } });
    const res = await chat(sendBody('Hello?', { modelId: f.modelId }));
    expect(res.status).toBe(200);
    const chunks = await readAll(res);
    const error = chunks.find((c) => c.chunk.type === 'error')?.chunk;
    expect(error).toMatchObject({ errorText: expect.stringContaining('HTTP 500') });
    const saved = await message(res.headers.get('x-message-id')!);
    expect(saved).toMatchObject({ status: 'failed', finishReason: 'error' });
    expect(saved!.error).toContain('overloaded');
    const convo = await f.call(
      f.staff,
      `/api/conversations/${res.headers.get('x-conversation-id')}/messages`,
    );
    const body = (await convo.json()) as { branch: Array<{ role: string }> };
    expect(body.branch.map((m) => m.role)).toEqual(['user', 'assistant']);
    // Nothing was generated, so nothing is billed (no estimate either).
    expect(await usageRows(res.headers.get('x-conversation-id')!)).toEqual([]);
  });

  it('a stream cut mid-answer: the partial text is saved as failed and the client gets an error', async () => {
    f.fake.script({ chunks: ['Par', 'tial', ' never', ' ends'], cutAfterChunks: 2, interChunkDelayMs: 20 });
    const res = await chat(sendBody('Explain', { modelId: f.modelId }));
    const chunks = await readAll(res);
    expect(textOf(chunks)).toBe('Partial');
    expect(chunks.at(-1)!.chunk).toMatchObject({
      type: 'error',
      errorText: expect.stringContaining('interrupted'),
    });
    const saved = await message(res.headers.get('x-message-id')!);
    expect(saved!.status).toBe('failed');
    expect(saved!.parts.find((p) => p.type === 'text')).toEqual({ type: 'text', text: 'Partial' });
    expect(saved!.error).toMatch(/interrupted/);
    // No usage frame arrived: the tokens are estimated (~4 characters each) and flagged as such.
    expect(saved).toMatchObject({ usageEstimated: true, inputTokens: 2, outputTokens: 2 });
    const ledger = await usageRows(res.headers.get('x-conversation-id')!);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ estimated: true, inputTokens: 2, outputTokens: 2 });
    const meta = chunks.find((c) => c.chunk.type === 'message-metadata')?.chunk;
    expect(meta).toMatchObject({
      messageMetadata: { usage: { inputTokens: 2, outputTokens: 2, estimated: true } },
    });
  });

  it('an upstream that goes silent fails after the idle timeout and is aborted', async () => {
    f.app.services.chat.idleTimeoutMs = 400;
    f.fake.script({ chunks: ['a', 'b', 'c'], hangAfterChunks: 1 });
    const res = await chat(sendBody('Hello', { modelId: f.modelId }));
    const chunks = await readAll(res);
    expect(chunks.at(-1)!.chunk).toMatchObject({
      type: 'error',
      errorText: expect.stringContaining('stopped responding'),
    });
    const saved = await message(res.headers.get('x-message-id')!);
    expect(saved).toMatchObject({ status: 'failed' });
    expect(saved!.parts.find((p) => p.type === 'text')).toEqual({ type: 'text', text: 'a' });
    expect(await f.fake.lastRequest().outcome).toBe('client-closed');
  });
});

describe('usage and budgets', () => {
  it('costs add up exactly to the reported tokens × the model prices', async () => {
    const person = await f.signUp('accountant@district.example');
    const calls = [
      { inputTokens: 1000, outputTokens: 500, cachedInputTokens: 400 },
      { inputTokens: 12_345, outputTokens: 678, cachedInputTokens: 0 },
      { inputTokens: 7, outputTokens: 1, cachedInputTokens: 7 },
    ];
    for (const usage of calls) {
      f.fake.enqueue({ chunks: ['ok'], usage });
      await readAll(await chat(sendBody('Count', { modelId: f.modelId }), {}, person));
    }
    const expected = calls.reduce(
      (sum, u) => sum + computeCost({ ...u, reasoningTokens: 0 }, PRICES).picoUsd,
      0n,
    );
    // By hand for the first call: 600 × $2.5 + 400 × $1.25 + 500 × $10 per 1M = $0.007.
    expect(computeCost({ ...calls[0]!, reasoningTokens: 0 }, PRICES).usd).toBe('0.007000000000');
    const rows = await db().select().from(tokenUsage).where(eq(tokenUsage.userId, person.id));
    expect(rows.map((r) => r.inputTokens).sort((a, b) => a - b)).toEqual([7, 1000, 12_345]);
    expect(rows.reduce((s, r) => s + parseUsdToPico(r.costUsd), 0n)).toBe(expected);
    const me = await f.call(person, '/api/usage/me');
    expect(me.status).toBe(200);
    const body = (await me.json()) as {
      totalTokens: number;
      costUsd: string;
      calls: number;
      cachedInputTokens: number;
    };
    expect(body.calls).toBe(3);
    expect(body.totalTokens).toBe(1000 + 500 + 12_345 + 678 + 7 + 1);
    expect(body.cachedInputTokens).toBe(407);
    expect(parseUsdToPico(body.costUsd)).toBe(expected);
  });

  it('refuses with 429 budget_exceeded and the reset date once the monthly budget is used', async () => {
    const person = await f.signUp('budgeted@district.example');
    const created = await f.call(f.admin, '/api/admin/budgets', {
      method: 'POST',
      json: { scope: 'user', userId: person.id, limitTokens: 50 },
    });
    expect(created.status).toBe(201);
    expect((await f.call(f.staff, '/api/admin/budgets')).status).toBe(403);
    f.fake.script({ chunks: ['fine'], usage: { inputTokens: 20, outputTokens: 10 } });
    for (let i = 0; i < 2; i++) {
      const ok = await chat(sendBody('Spend', { modelId: f.modelId }), {}, person);
      expect(ok.status).toBe(200);
      await readAll(ok);
    }
    const requestsBefore = f.fake.requests.length;
    const refused = await chat(sendBody('One more', { modelId: f.modelId }), {}, person);
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as {
      error: { code: string; message: string; details: { resetsAt: string } };
    };
    expect(body.error.code).toBe('budget_exceeded:chat');
    const now = new Date();
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    expect(body.error.details.resetsAt).toBe(next.toISOString());
    expect(body.error.message).toContain('60 of 50 tokens');
    expect(body.error.message).toContain(String(next.getUTCFullYear()));
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(f.fake.requests.length).toBe(requestsBefore); // never reached the model
    const meter = await (await f.call(person, '/api/usage/me/budget')).json();
    expect(meter).toMatchObject({ source: 'user', limitTokens: 50, usedTokens: 60, exceeded: true });

    // Raising the limit lets the person chat again; removing the budget leaves no limit.
    const budget = (await created.json()) as { id: string };
    const raised = await f.call(f.admin, `/api/admin/budgets/${budget.id}`, {
      method: 'PATCH',
      json: { limitTokens: 1000, limitCostUsd: '0.5' },
    });
    expect(await raised.json()).toMatchObject({ limitTokens: 1000, limitCostUsd: '0.5' });
    const again = await chat(sendBody('Now?', { modelId: f.modelId }), {}, person);
    expect(again.status).toBe(200);
    await readAll(again);
    expect((await f.call(f.admin, `/api/admin/budgets/${budget.id}`, { method: 'DELETE' })).status).toBe(204);
    const none = await (await f.call(person, '/api/usage/me/budget')).json();
    expect(none).toMatchObject({ source: 'none', limitTokens: null, exceeded: false });
    const dup = await f.call(f.admin, '/api/admin/budgets', {
      method: 'POST',
      json: { scope: 'role', role: 'staff', limitCostUsd: 10 },
    });
    expect(dup.status).toBe(201);
    const twice = await f.call(f.admin, '/api/admin/budgets', {
      method: 'POST',
      json: { scope: 'role', role: 'staff', limitCostUsd: 20 },
    });
    expect(twice.status).toBe(409);
    const invalid = await f.call(f.admin, '/api/admin/budgets', { method: 'POST', json: { scope: 'role' } });
    expect(invalid.status).toBe(422);
    await f.call(f.admin, `/api/admin/budgets/${((await dup.json()) as { id: string }).id}`, {
      method: 'DELETE',
    });
  });
});
