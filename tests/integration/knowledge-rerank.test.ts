/**
 * The optional rerank pass of knowledge search (issue 12.6) against a fake Cohere rerank API over real HTTP:
 * not configured, search sends nothing and answers the fused order; with `knowledge.rerank_model`,
 * `cohere.api_key` (stored encrypted, shown masked) and `cohere.base_url` set at run time, the service, REST
 * and the MCP tool answer in the reranker's order and the request carried the model, query, documents and
 * the Bearer key; when the reranker fails (500, not JSON) search still answers, in the fused order, and the
 * warning it logs does not hold the key; one that does not answer is given up on after its timeout.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFetch } from '../../api/ai/http-fetch';
import { cohereRerankerFor } from '../../api/features/knowledge/knowledge.rerank';
import { searchKnowledgeTool } from '../../api/features/knowledge/knowledge.tools';
import type { Ctx } from '../../api/lib/ctx';
import { createLogger } from '../../api/lib/logger';
import { settings as settingsTable } from '../../db/schema/index';
import { type FakeCohere, startFakeCohere } from '../helpers/fake-cohere';
import { usersForEachRole } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let cohere: FakeCohere;
let staff: Ctx;
let cookie: string;
let repositoryId: string;
const logLines: string[] = [];

const QUERY = 'recess playground';
const TEXTS = {
  'Recess rules':
    'Recess on the playground: recess starts at ten, the playground closes when it rains at recess.',
  'Playground kit': 'The playground has new swings; recess monitors check the playground kit each morning.',
  'Lunch menu': 'Lunch is served after recess in the hall, with soup on Mondays.',
};

const titles = async () =>
  (await app.services.knowledge.search(staff, { q: QUERY, limit: 5 })).map((r) => r.title);

async function restTitles() {
  const res = await app.fetch(`/api/v1/search?q=${encodeURIComponent(QUERY)}&limit=5`, {
    headers: { cookie },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: { title: string }[] }).results.map((r) => r.title);
}

/** Waits for the worker to index an item (expect.poll is for tests only, not beforeAll). */
async function ready(itemId: string) {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
    const { status } = await app.services.knowledge.getItem(staff, repositoryId, itemId);
    if (status === 'ready') return;
    if (status === 'failed') throw new Error(`item ${itemId} failed to index`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`item ${itemId} was not indexed in time`);
}

beforeAll(async () => {
  app = await startTestApp({
    jobs: 'work',
    log: createLogger({ level: 'warn', destination: { write: (line: string) => void logLines.push(line) } }),
  });
  cohere = await startFakeCohere();
  const people = await usersForEachRole(app);
  cookie = people.cookies.staff;
  staff = {
    ...app.services.systemCtx(),
    actor: (await app.services.users.actorFor(app.database.db, people.ids.staff))!,
  };
  repositoryId = (await app.services.knowledge.createRepository(staff, { name: 'Playground' })).id;
  for (const [title, text] of Object.entries(TEXTS)) {
    const item = await app.services.knowledge.addText(staff, repositoryId, { title, text });
    await ready(item.id);
  }
}, 120_000);
afterAll(async () => {
  await cohere?.close();
  await app?.close();
});

describe('knowledge search rerank', { timeout: 60_000 }, () => {
  let fused: string[];

  it('is off until configured: no request, the fused order', async () => {
    fused = await titles();
    expect(fused).toHaveLength(3);
    expect(await restTitles()).toEqual(fused);
    expect(cohere.requests).toHaveLength(0);
  });

  it('reranks with the configured Cohere model at once, through the service, REST and MCP', async () => {
    const sys = app.services.systemCtx();
    await app.services.settings.set(sys, { key: 'knowledge.rerank_model', value: 'rerank-v3.5' });
    // A model without a key is still off (and says so in the log).
    expect(await titles()).toEqual(fused);
    expect(cohere.requests).toHaveLength(0);
    await app.services.settings.set(sys, { key: 'cohere.api_key', value: cohere.apiKey });
    await app.services.settings.set(sys, { key: 'cohere.base_url', value: cohere.baseURL });

    const reranked = [...fused].reverse(); // the fake answers the documents in reverse
    expect(await titles()).toEqual(reranked);
    expect(cohere.requests).toHaveLength(1);
    const [request] = cohere.requests;
    expect(request!.path).toBe('/v2/rerank');
    expect(request!.authorization).toBe(`Bearer ${cohere.apiKey}`);
    expect(request!.body).toEqual({
      model: 'rerank-v3.5',
      query: QUERY,
      documents: fused.map((t) => TEXTS[t as keyof typeof TEXTS]),
      top_n: 3,
    });

    expect(await restTitles()).toEqual(reranked);
    const viaMcp = await searchKnowledgeTool.handler(
      { query: QUERY, limit: 5 },
      { ctx: staff, services: app.services, signal: new AbortController().signal },
    );
    expect(viaMcp.results.map((r) => r.title)).toEqual(reranked);
    expect(cohere.requests).toHaveLength(3);

    // The key is a secret: encrypted at rest and masked when shown.
    const [row] = await app.database.db
      .select()
      .from(settingsTable)
      .where(eq(settingsTable.key, 'cohere.api_key'));
    expect(row!.isSecret).toBe(true);
    expect(row!.value).not.toContain(cohere.apiKey);
    expect(JSON.stringify(await app.services.settings.view(sys, 'cohere.api_key'))).not.toContain(
      cohere.apiKey,
    );
  });

  it('answers in the fused order when the reranker fails, and logs no key', async () => {
    for (const fail of [500, 'bad-json'] as const) {
      cohere.fail = fail;
      const before = cohere.requests.length;
      expect(await titles()).toEqual(fused);
      expect(cohere.requests.length).toBe(before + 1);
    }
    const warnings = logLines.filter((l) => l.includes('knowledge rerank failed'));
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    expect(warnings.some((l) => l.includes('status 500'))).toBe(true);
    expect(logLines.join('\n')).not.toContain(cohere.apiKey);

    // A reranker that does not answer is given up on after its timeout (the service's is 10 s; 300 ms here).
    cohere.fail = 'hang';
    const reranker = await cohereRerankerFor({
      settings: app.services.settings,
      fetch: httpFetch,
      timeoutMs: 300,
    })(staff);
    const candidates = [
      { id: 'a', text: 'first' },
      { id: 'b', text: 'second' },
    ];
    expect(await reranker!.rerank(QUERY, candidates)).toEqual([]);
    expect(logLines.some((l) => l.includes('timed out'))).toBe(true);

    cohere.fail = null;
    expect(await reranker!.rerank(QUERY, candidates)).toEqual(['b', 'a']);
    await app.services.settings.set(app.services.systemCtx(), { key: 'knowledge.rerank_model', value: '' });
    const before = cohere.requests.length;
    expect(await titles()).toEqual(fused);
    expect(cohere.requests.length).toBe(before);
  });
});
