/**
 * The model-call core's promises, checked on every surface that streams (chat, compare, the OpenAI
 * gateway) against a fake OpenAI-compatible upstream over real HTTP (issue 9, items 2, 6, 7, 10):
 * NUL bytes and lone surrogates in model output are saved and billed; a provider that sends no (or zero)
 * usage is billed an estimate, flagged; a stalled upstream ends the gateway's call within the shared idle
 * timeout with an OpenAI error; provider error bodies never reach people; a malformed line or a late error
 * event after a complete answer leaves it complete; a body that is not the protocol is reported as such.
 */
import { and, desc, eq, gt } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { messages, tokenUsage } from '../../db/schema/index';
import {
  type ChatFixture,
  eventually,
  PRICES,
  readAll,
  sendBody,
  startChatFixture,
  textOf,
} from '../helpers/chat-fixture';
import type { Script } from '../helpers/fake-upstreams';

let f: ChatFixture;
let secondModelId: string;
let apiKey: string;

beforeAll(async () => {
  f = await startChatFixture();
  const sys = f.app.services.systemCtx();
  secondModelId = (
    await f.app.services.models.create(sys, {
      provider: 'openai-compatible',
      modelId: 'fake-small',
      displayName: 'Fake Small',
      baseUrl: f.fake.baseURL,
      ...PRICES,
    })
  ).id;
  apiKey = (
    await f.app.services.apiKeys.createForEmail(sys, 'teacher@district.example', {
      name: 'surfaces',
      scopes: ['chat', 'models:read'],
    })
  ).secret;
});
afterAll(async () => {
  await f?.close();
});
beforeEach(async () => {
  await f.app.services.chat.drain(5_000);
  f.fake.reset();
  f.app.services.calls.idleTimeoutMs = 120_000;
});

const db = () => f.app.database.db;

interface Outcome {
  /** What the client was shown. */
  clientText: string;
  clientError: string | null;
  /** What was saved (chat message / compare results; the gateway saves only usage). */
  saved: Array<{ status: string; text: string; error: string | null }>;
  ledger: Array<typeof tokenUsage.$inferSelect>;
}

async function viaChat(script: Script, prompt = 'Say something'): Promise<Outcome> {
  f.fake.script(script);
  const res = await f.call(f.staff, '/api/chat', {
    method: 'POST',
    json: sendBody(prompt, { modelId: f.modelId }),
  });
  expect(res.status).toBe(200);
  const chunks = await readAll(res);
  const error = chunks.find((c) => c.chunk.type === 'error')?.chunk;
  const id = res.headers.get('x-message-id')!;
  const row = await eventually(async () => {
    const [m] = await db().select().from(messages).where(eq(messages.id, id));
    return m && m.status !== 'streaming' ? m : undefined;
  });
  const text = row.parts.map((p) => (p.type === 'text' ? String(p.text) : '')).join('');
  return {
    clientText: textOf(chunks),
    clientError: error?.type === 'error' ? error.errorText : null,
    saved: [{ status: row.status, text, error: row.error }],
    ledger: await db()
      .select()
      .from(tokenUsage)
      .where(eq(tokenUsage.subjectId, res.headers.get('x-conversation-id')!)),
  };
}

type CompareEvent = { type: string; column?: number; delta?: string; message?: string; result?: never };

async function viaCompare(script: Script, prompt = 'Say something'): Promise<Outcome> {
  f.fake.script(script);
  const res = await f.call(f.staff, '/api/comparisons', {
    method: 'POST',
    json: { prompt, modelIds: [f.modelId, secondModelId] },
  });
  expect(res.status).toBe(200);
  const events = (await res.text())
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => JSON.parse(frame.slice(6)) as CompareEvent);
  const results = events.flatMap((e) =>
    e.type === 'result'
      ? [e.result as unknown as { status: string; text: string; error: string | null }]
      : [],
  );
  return {
    clientText: events.map((e) => (e.type === 'text' && e.column === 0 ? e.delta : '')).join(''),
    clientError: results.find((r) => r.error)?.error ?? null,
    saved: results.map((r) => ({ status: r.status, text: r.text, error: r.error })),
    ledger: await db()
      .select()
      .from(tokenUsage)
      .where(eq(tokenUsage.subjectId, res.headers.get('x-comparison-id')!)),
  };
}

async function viaGateway(script: Script, prompt = 'Say something'): Promise<Outcome> {
  f.fake.script(script);
  const since = new Date(Date.now() - 1);
  const before = await apiRows(since);
  const res = await f.app.fetch('/api/v1/chat/completions', {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'fake-large',
      stream: true,
      messages: [{ role: 'user', content: prompt }],
    }),
  });
  expect(res.status).toBe(200);
  const frames = (await res.text())
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: ') && frame !== 'data: [DONE]')
    .map((frame) => JSON.parse(frame.slice(6)) as Record<string, unknown>);
  const text = frames
    .map((c) => (c.choices as Array<{ delta?: { content?: string } }> | undefined)?.[0]?.delta?.content ?? '')
    .join('');
  const error = frames.find((c) => c.error) as { error: { message: string } } | undefined;
  // The ledger row is written before the stream ends, but poll in case of a slow database.
  const ledger = await eventually(async () => {
    const rows = await apiRows(since);
    return rows.length > before.length ? rows.slice(0, rows.length - before.length) : undefined;
  }).catch(() => [] as Outcome['ledger']);
  return { clientText: text, clientError: error?.error.message ?? null, saved: [], ledger };
}

const apiRows = (since: Date) =>
  db()
    .select()
    .from(tokenUsage)
    .where(and(eq(tokenUsage.surface, 'api'), gt(tokenUsage.createdAt, since)))
    .orderBy(desc(tokenUsage.createdAt));

const surfaces = { chat: viaChat, compare: viaCompare, gateway: viaGateway };

describe.each(Object.entries(surfaces))('%s', (surface, via) => {
  it('saves and bills an answer containing NUL bytes and lone surrogates (9.2)', async () => {
    const out = await via({
      chunks: ['Null\u0000 byte', ' and \ud800 lone', ' \udc00 low'],
      usage: { inputTokens: 12, outputTokens: 3 },
    });
    expect(out.clientText).toBe('Null byte and \ufffd lone \ufffd low');
    expect(out.clientError).toBeNull();
    for (const s of out.saved) expect(s).toMatchObject({ status: 'complete', text: out.clientText });
    expect(out.ledger.length).toBeGreaterThan(0);
    for (const row of out.ledger)
      expect(row).toMatchObject({ inputTokens: 12, outputTokens: 3, estimated: false });
  });

  it('bills an estimate, flagged, when the provider sends no usage or zero usage (9.6)', async () => {
    const answer = ['Sixteen chars ', 'of answer text.'];
    for (const script of [
      { chunks: answer, omitUsage: true },
      { chunks: answer, usage: { inputTokens: 0, outputTokens: 0 } },
    ]) {
      const out = await via(script, 'Twelve chars');
      expect(out.clientText).toBe(answer.join(''));
      expect(out.ledger.length).toBeGreaterThan(0);
      for (const row of out.ledger) {
        // ~4 characters a token: 29 characters of answer → 8 tokens; the 12-character prompt → 3.
        expect(row).toMatchObject({ estimated: true, outputTokens: 8, inputTokens: 3 });
        expect(Number(row.costUsd)).toBeGreaterThan(0);
      }
      for (const s of out.saved) expect(s.status).toBe('complete');
    }
    if (surface === 'chat') {
      const [m] = await db().select().from(messages).orderBy(desc(messages.createdAt)).limit(1);
      expect(m).toMatchObject({ usageEstimated: true, outputTokens: 8 });
    }
  });

  it('never shows a provider error body (9.10)', async () => {
    const secret = 'sk-live-0123456789abcdefghijklmnopqrstuv';
    const out = await via({ chunks: [], fail: { status: 500, message: `db down, key ${secret}` } });
    expect(out.clientError).toContain('HTTP 500');
    expect(JSON.stringify(out)).not.toContain(secret);
    expect(JSON.stringify(out)).not.toContain('db down');
    for (const s of out.saved) expect(s.status).toBe('failed');
    expect(out.ledger).toEqual([]); // nothing was generated: nothing billed
  });

  it('keeps a complete answer complete when a malformed line or an error event follows it (9.10)', async () => {
    for (const afterAnswer of [
      'data: {"choices": [{"delta": {"content": "unterminated\n\n',
      `data: ${JSON.stringify({ error: { message: 'late failure', type: 'server_error' } })}\n\n`,
    ]) {
      const out = await via({
        chunks: ['All', ' of', ' it.'],
        afterAnswer,
        usage: { inputTokens: 5, outputTokens: 3 },
      });
      expect(out.clientText).toBe('All of it.');
      expect(out.clientError).toBeNull();
      for (const s of out.saved)
        expect(s).toMatchObject({ status: 'complete', text: 'All of it.', error: null });
      for (const row of out.ledger) expect(row).toMatchObject({ inputTokens: 5, outputTokens: 3 });
    }
  });

  it('reports an answer that is not the protocol as unreadable, not as a cut connection (9.10)', async () => {
    const out = await via({
      chunks: [],
      rawBody: { contentType: 'text/html', body: '<html>Proxy error</html>' },
    });
    expect(out.clientError).toBe('The model provider sent an answer that is not valid JSON.');
    expect(JSON.stringify(out)).not.toContain('Proxy error');
    for (const s of out.saved) expect(s.status).toBe('failed');
  });

  it('reports an event stream of plain text as an answer that is not valid JSON', async () => {
    const out = await via({
      chunks: [],
      rawBody: { contentType: 'text/event-stream', body: 'data: Bad gateway\n\n' },
    });
    expect(out.clientError).toBe('The model provider sent an answer that is not valid JSON.');
    expect(out.clientError).not.toMatch(/interrupted/);
    for (const s of out.saved) expect(s.status).toBe('failed');
  });
});

describe('gateway timeouts (9.7)', () => {
  it('ends a stalled stream within the idle timeout with an OpenAI error chunk, billing what arrived', async () => {
    f.app.services.calls.idleTimeoutMs = 400;
    const started = Date.now();
    const out = await viaGateway({ chunks: ['Half', ' never'], hangAfterChunks: 1 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(out.clientText).toBe('Half');
    expect(out.clientError).toMatch(/stopped responding/);
    expect(out.ledger[0]).toMatchObject({ estimated: true, outputTokens: 1 });
    expect(await f.fake.lastRequest().outcome).toBe('client-closed');
  });

  it('answers a stalled non-streaming call with an OpenAI error body', async () => {
    f.app.services.calls.idleTimeoutMs = 400;
    f.fake.script({ chunks: ['x'], hang: true });
    const started = Date.now();
    const res = await f.app.fetch('/api/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fake-large', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(res.status).toBe(504);
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(body.error).toMatchObject({
      type: 'server_error',
      message: expect.stringMatching(/stopped responding/),
    });
  });
});
