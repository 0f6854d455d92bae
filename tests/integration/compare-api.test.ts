/**
 * Model Compare over HTTP against three fake OpenAI-compatible upstreams (one per model, so each answer is
 * distinct): parallel streaming in one SSE body, saved results with ttft/tokens/cost, the usage ledger
 * (surface 'compare', exact costs), follow-ups with each model's own history, fusion, stop, a failing
 * column, validation, permissions and the budget check.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareEvent } from '../../api/features/compare/compare.schemas';
import { tokenUsage } from '../../db/schema/index';
import { type FakeUpstream, startFakeUpstream } from '../helpers/fake-upstreams';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
const fakes: FakeUpstream[] = [];
const modelIds: string[] = [];
const cookies = { admin: '', staff: '', other: '', student: '' };
let staffId = '';

async function signUp(email: string) {
  const { session, user } = await app.services.auth.signUp(app.services.systemCtx(), {
    email,
    password: 'Correct-horse-battery-staple-42',
    name: email.split('@')[0],
  });
  return { cookie: (session.cookie as string).split(';')[0]!, id: user.id };
}

function call(cookie: string, path: string, init: RequestInit & { json?: unknown } = {}) {
  const headers = new Headers(init.headers);
  headers.set('cookie', cookie);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  return app.fetch(path, {
    ...init,
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
}

/** Reads an SSE body to the end, keeping every event in arrival order. */
async function readEvents(res: Response): Promise<CompareEvent[]> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((f) => f.startsWith('data: '))
    .map((f) => JSON.parse(f.slice(6)) as CompareEvent);
}

const results = (events: CompareEvent[]) =>
  events.flatMap((e) => (e.type === 'result' ? [e] : [])).sort((a, b) => a.column - b.column);

beforeAll(async () => {
  app = await startTestApp();
  cookies.admin = (await signUp('admin@district.example')).cookie; // the first account is the administrator
  const staff = await signUp('teacher@district.example');
  cookies.staff = staff.cookie;
  staffId = staff.id;
  cookies.other = (await signUp('other@district.example')).cookie;
  const student = await signUp('pupil@district.example');
  cookies.student = student.cookie;
  await app.services.users.update(app.services.systemCtx(), student.id, { roles: ['student'] });
  for (const [i, name] of ['Alpha', 'Beta', 'Gamma'].entries()) {
    const fake = await startFakeUpstream('openai-compatible');
    fakes.push(fake);
    const model = await app.services.models.create(app.services.systemCtx(), {
      provider: 'openai-compatible',
      modelId: `fake-${name.toLowerCase()}`,
      displayName: name,
      baseUrl: fake.baseURL,
      inputPricePerMillion: `${i + 1}.5`,
      outputPricePerMillion: `${(i + 1) * 3}.25`,
    });
    modelIds.push(model.id);
  }
});
afterAll(async () => {
  await Promise.all(fakes.map((f) => f.close()));
  await app?.close();
});

describe('POST /api/comparisons', () => {
  let comparisonId = '';

  it('streams three models in parallel in one SSE body and saves every result with its numbers', async () => {
    for (const [i, f] of fakes.entries()) {
      f.script({
        chunks: [`${['Alpha', 'Beta', 'Gamma'][i]} says`, ' one', ' two', ' three.'],
        firstTokenDelayMs: 30 * (i + 1),
        interChunkDelayMs: 120,
        usage: { inputTokens: 100 + i, outputTokens: 20 + i },
      });
    }
    const res = await call(cookies.staff, '/api/comparisons', {
      method: 'POST',
      json: { prompt: 'Explain photosynthesis in one line.', modelIds },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    comparisonId = res.headers.get('x-comparison-id') ?? '';
    const events = await readEvents(res);

    const start = events[0];
    expect(start).toMatchObject({ type: 'start', kind: 'answer', comparisonId });
    expect(start?.type === 'start' && start.columns.map((c) => c.modelName)).toEqual([
      'Alpha',
      'Beta',
      'Gamma',
    ]);
    expect(events.at(-1)).toEqual({ type: 'done' });

    // Parallel, not one after another: every column's first text arrives before any column finishes.
    const firstText = [0, 1, 2].map((c) => events.findIndex((e) => e.type === 'text' && e.column === c));
    const firstResult = events.findIndex((e) => e.type === 'result');
    expect(firstText.every((i) => i > 0 && i < firstResult)).toBe(true);

    const [a, b, c] = results(events).map((e) => e.result);
    expect(a).toMatchObject({ modelName: 'Alpha', text: 'Alpha says one two three.', status: 'complete' });
    expect(b).toMatchObject({
      modelName: 'Beta',
      text: 'Beta says one two three.',
      inputTokens: 101,
      outputTokens: 21,
    });
    expect(c?.status).toBe('complete');
    // Exact cost: 100 in × $1.5/M + 20 out × $3.25/M = 0.000215 USD.
    expect(a?.costUsd).toBe('0.000215000000');
    // 101 × 2.5 + 21 × 6.25 = 383.75 micro-USD.
    expect(b?.costUsd).toBe('0.000383750000');
    // Time to first token includes each fake's scripted delay (30, 60, 90 ms).
    expect(a?.ttftMs).toBeGreaterThanOrEqual(25);
    expect(c?.ttftMs).toBeGreaterThanOrEqual(85);
    expect(a?.tokensPerSecond).toBeGreaterThan(0);
    // Every fake got the prompt as a user message, streamed.
    for (const f of fakes) {
      expect(f.lastRequest().body).toMatchObject({
        stream: true,
        messages: [{ role: 'user', content: 'Explain photosynthesis in one line.' }],
      });
    }
  });

  it('records one usage row per model on the compare surface, adding up exactly', async () => {
    const rows = await app.database.db
      .select()
      .from(tokenUsage)
      .where(and(eq(tokenUsage.userId, staffId), eq(tokenUsage.surface, 'compare')));
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.subjectId === comparisonId)).toBe(true);
    expect(rows.map((r) => r.inputTokens).sort()).toEqual([100, 101, 102]);
    const total = rows.reduce((sum, r) => sum + Math.round(Number(r.costUsd) * 1e12), 0);
    // 215 + 383.75 + (102 × 3.5 + 22 × 9.25 = 560.5) micro-USD
    expect(total).toBe(1_159_250_000);
  });

  it('lists and returns the saved comparison', async () => {
    const list = await (await call(cookies.staff, '/api/comparisons')).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ id: comparisonId, title: 'Explain photosynthesis in one line.' });
    const got = await call(cookies.staff, `/api/comparisons/${comparisonId}`);
    expect(got.status).toBe(200);
    const view = await got.json();
    expect(view.turns).toHaveLength(1);
    expect(view.turns[0].results.map((r: { text: string }) => r.text)).toEqual([
      'Alpha says one two three.',
      'Beta says one two three.',
      'Gamma says one two three.',
    ]);
    // Someone else's comparison does not exist for them.
    expect((await call(cookies.other, `/api/comparisons/${comparisonId}`)).status).toBe(404);
    expect((await (await call(cookies.other, '/api/comparisons')).json()).items).toEqual([]);
  });

  it('renames a comparison (PATCH), naming the field when the title is empty; only the owner may', async () => {
    const patch = (cookie: string, json: unknown) =>
      call(cookie, `/api/comparisons/${comparisonId}`, { method: 'PATCH', json });
    const res = await patch(cookies.staff, { title: '  Photosynthesis, three ways  ' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: comparisonId, title: 'Photosynthesis, three ways' });
    const empty = await patch(cookies.staff, { title: '  ' });
    expect(empty.status).toBe(422);
    expect((await empty.json()).error.details.fields).toHaveProperty('title');
    expect((await patch(cookies.other, { title: 'Mine now' })).status).toBe(404);
    const list = await (await call(cookies.staff, '/api/comparisons')).json();
    expect(list.items[0].title).toBe('Photosynthesis, three ways');
  });

  it('asks a follow-up: each model continues its own thread', async () => {
    for (const f of fakes) f.script({ chunks: ['Sure.'] });
    const res = await call(cookies.staff, `/api/comparisons/${comparisonId}/turns`, {
      method: 'POST',
      json: { prompt: 'Shorter please.' },
    });
    expect(res.status).toBe(200);
    const events = await readEvents(res);
    expect(results(events).map((e) => e.result.text)).toEqual(['Sure.', 'Sure.', 'Sure.']);
    expect(fakes[1]!.lastRequest().body).toMatchObject({
      messages: [
        { role: 'user', content: 'Explain photosynthesis in one line.' },
        { role: 'assistant', content: 'Beta says one two three.' },
        { role: 'user', content: 'Shorter please.' },
      ],
    });
    const view = await (await call(cookies.staff, `/api/comparisons/${comparisonId}`)).json();
    expect(view.turns.map((t: { prompt: string }) => t.prompt)).toEqual([
      'Explain photosynthesis in one line.',
      'Shorter please.',
    ]);
  });

  it('fuses the answers of a turn with a chosen model', async () => {
    fakes[2]!.script({ chunks: ['One merged answer.'] });
    const firstTurn = (await (await call(cookies.staff, `/api/comparisons/${comparisonId}`)).json()).turns[0];
    const res = await call(cookies.staff, `/api/comparisons/${comparisonId}/fuse`, {
      method: 'POST',
      json: { modelId: modelIds[2], turnId: firstTurn.id },
    });
    expect(res.status).toBe(200);
    const events = await readEvents(res);
    expect(events[0]).toMatchObject({ type: 'start', kind: 'fusion', turnId: firstTurn.id });
    const [fused] = results(events);
    expect(fused?.result).toMatchObject({
      kind: 'fusion',
      column: -1,
      text: 'One merged answer.',
      modelName: 'Gamma',
    });
    const prompt = JSON.stringify(fakes[2]!.lastRequest().body);
    for (const text of ['Alpha says one two three.', 'Beta says one two three.', 'Explain photosynthesis']) {
      expect(prompt).toContain(text);
    }
  });

  it('keeps the other columns when one model fails, with a readable error', async () => {
    fakes[0]!.script({ chunks: ['ok'] });
    fakes[1]!.script({ chunks: [], fail: { status: 500, message: 'upstream exploded' } });
    const res = await call(cookies.staff, '/api/comparisons', {
      method: 'POST',
      json: { prompt: 'Hello', modelIds: modelIds.slice(0, 2) },
    });
    const [ok, failed] = results(await readEvents(res)).map((e) => e.result);
    expect(ok).toMatchObject({ status: 'complete', text: 'ok' });
    expect(failed?.status).toBe('failed');
    // Worded by us (issue 9.10): the provider's own error body is logged, never shown.
    expect(failed?.error).toContain('HTTP 500');
    expect(failed?.error).not.toContain('upstream exploded');
  });

  it('stops every model when the request is closed, saving the partial answers as stopped', async () => {
    for (const f of fakes) {
      f.script({ chunks: Array.from({ length: 50 }, (_, i) => `w${i} `), interChunkDelayMs: 40 });
    }
    const abort = new AbortController();
    const res = await call(cookies.staff, '/api/comparisons', {
      method: 'POST',
      json: { prompt: 'Long answer please', modelIds },
      signal: abort.signal,
    });
    const id = res.headers.get('x-comparison-id')!;
    const reader = res.body!.getReader();
    let seen = '';
    while (!seen.includes('"type":"text"')) seen += new TextDecoder().decode((await reader.read()).value);
    abort.abort();
    await expect(Promise.all(fakes.map((f) => f.lastRequest().outcome))).resolves.toEqual([
      'client-closed',
      'client-closed',
      'client-closed',
    ]);
    // The rows are written when each column ends, just after the abort.
    let view: { turns: { results: { status: string; text: string }[] }[] } = { turns: [] };
    for (let i = 0; i < 50 && (view.turns[0]?.results.length ?? 0) < 3; i++) {
      await new Promise((r) => setTimeout(r, 50));
      view = await (await call(cookies.staff, `/api/comparisons/${id}`)).json();
    }
    const saved = view.turns[0]!.results;
    expect(saved.map((r) => r.status)).toEqual(['stopped', 'stopped', 'stopped']);
    expect(saved.every((r) => r.text.startsWith('w0') && !r.text.includes('w49'))).toBe(true);
  });
});

describe('compare validation and access', () => {
  it('answers 422 naming the field for too few, too many or repeated models and an empty prompt', async () => {
    for (const body of [
      { prompt: 'x', modelIds: modelIds.slice(0, 1) },
      { prompt: 'x', modelIds: [...modelIds, modelIds[0], modelIds[1]] },
      { prompt: 'x', modelIds: [modelIds[0], modelIds[0]] },
    ]) {
      const res = await call(cookies.staff, '/api/comparisons', { method: 'POST', json: body });
      expect(res.status).toBe(422);
      expect((await res.json()).error.details.fields).toHaveProperty('modelIds');
    }
    const empty = await call(cookies.staff, '/api/comparisons', {
      method: 'POST',
      json: { prompt: ' ', modelIds },
    });
    expect((await empty.json()).error.details.fields).toHaveProperty('prompt');
  });

  it('refuses people without compare:use (403) and anonymous callers (401)', async () => {
    const res = await call(cookies.student, '/api/comparisons', {
      method: 'POST',
      json: { prompt: 'x', modelIds },
    });
    expect(res.status).toBe(403);
    expect((await app.fetch('/api/comparisons')).status).toBe(401);
  });

  it('answers 404 for a model the person may not use', async () => {
    await app.services.models.setGrants(app.services.systemCtx(), modelIds[2]!, { roles: ['administrator'] });
    try {
      const res = await call(cookies.staff, '/api/comparisons', {
        method: 'POST',
        json: { prompt: 'x', modelIds },
      });
      expect(res.status).toBe(404);
    } finally {
      await app.services.models.setGrants(app.services.systemCtx(), modelIds[2]!, { roles: [] });
    }
  });

  it('answers 429 budget_exceeded with the reset date once the monthly budget is used', async () => {
    const budget = await call(cookies.admin, '/api/admin/budgets', {
      method: 'POST',
      json: { scope: 'user', userId: staffId, limitTokens: 10 },
    });
    expect(budget.status).toBe(201);
    const res = await call(cookies.staff, '/api/comparisons', {
      method: 'POST',
      json: { prompt: 'x', modelIds: modelIds.slice(0, 2) },
    });
    expect(res.status).toBe(429);
    const body = await res.json();
    expect(body.error.code).toBe('budget_exceeded:compare');
    expect(body.error.message).toMatch(/resets on/);
    expect(body.error.details.resetsAt).toMatch(/^\d{4}-\d{2}-01T00:00:00/);
  });
});
