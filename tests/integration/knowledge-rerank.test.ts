/**
 * The optional rerank pass of knowledge search (issue 12.6) against a fake Cohere rerank API over real HTTP:
 * not configured, search sends nothing and answers the fused order; with `knowledge.rerank_model`,
 * `cohere.api_key` (stored encrypted, shown masked) and `cohere.base_url` set at run time, the service, REST
 * and the MCP tool answer in the reranker's order and the request carried the model, query, documents and
 * the Bearer key; when the reranker fails (500, not JSON) search still answers, in the fused order, and the
 * warning it logs does not hold the key; one that does not answer is given up on after its timeout.
 * With `knowledge.rerank_provider = amazon-bedrock` the same happens through a fake Bedrock runtime
 * (InvokeModel, SigV4-verified, each model's body shape checked) with the Bedrock provider's settings.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFetch } from '../../api/ai/http-fetch';
import { rerankerFor } from '../../api/features/knowledge/knowledge.rerank';
import { searchKnowledgeTool } from '../../api/features/knowledge/knowledge.tools';
import type { Ctx } from '../../api/lib/ctx';
import { createLogger } from '../../api/lib/logger';
import { settings as settingsTable } from '../../db/schema/index';
import { type FakeBedrockRerank, startFakeBedrockRerank } from '../helpers/fake-bedrock-rerank';
import { type FakeCohere, startFakeCohere } from '../helpers/fake-cohere';
import { usersForEachRole } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let cohere: FakeCohere;
let bedrock: FakeBedrockRerank;
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
  bedrock = await startFakeBedrockRerank();
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
  await bedrock?.close();
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
    const reranker = await rerankerFor({
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

describe('knowledge search rerank on Amazon Bedrock', { timeout: 60_000 }, () => {
  const sys = () => app.services.systemCtx();
  const set = (key: string, value: string) => app.services.settings.set(sys(), { key, value });
  let fused: string[];

  it('refuses a provider it does not know, naming the field', async () => {
    const err = await set('knowledge.rerank_provider', 'openai').catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 422 });
    expect(JSON.stringify((err as { details?: unknown }).details)).toContain('value');
  });

  it('is off without Bedrock credentials: no request, the fused order', async () => {
    fused = await titles();
    const cohereBefore = cohere.requests.length;
    await set('knowledge.rerank_provider', 'amazon-bedrock');
    await set('knowledge.rerank_model', 'cohere.rerank-v3-5:0');
    expect(await titles()).toEqual(fused);
    expect(bedrock.requests).toHaveLength(0);
    expect(cohere.requests.length).toBe(cohereBefore); // the Cohere key is still set: not asked either
    expect(logLines.some((l) => l.includes('not reranking') && l.includes('aws.region'))).toBe(true);
  });

  it("reranks through InvokeModel, SigV4-signed, with each model family's body", async () => {
    const cohereBefore = cohere.requests.length;
    await set('aws.region', bedrock.region);
    await set('aws.access_key_id', bedrock.accessKeyId);
    await set('aws.secret_access_key', bedrock.secretAccessKey);
    await set('bedrock.base_url', bedrock.endpoint);

    const reranked = [...fused].reverse(); // the fake answers the documents in reverse
    expect(await titles()).toEqual(reranked);
    expect(await restTitles()).toEqual(reranked);
    expect(bedrock.requests).toHaveLength(2);
    const [first] = bedrock.requests;
    expect(first).toMatchObject({ status: 200, modelId: 'cohere.rerank-v3-5:0' });
    expect(first!.path).toBe('/model/cohere.rerank-v3-5%3A0/invoke');
    expect(first!.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${bedrock.accessKeyId}/\\d{8}/${bedrock.region}/bedrock/aws4_request`,
      ),
    );
    expect(first!.body).toEqual({
      query: QUERY,
      documents: fused.map((t) => TEXTS[t as keyof typeof TEXTS]),
      top_n: 3,
      api_version: 2,
    });

    await set('knowledge.rerank_model', 'amazon.rerank-v1:0');
    expect(await titles()).toEqual(reranked);
    const last = bedrock.requests.at(-1)!;
    expect(last).toMatchObject({ status: 200, modelId: 'amazon.rerank-v1:0' });
    expect(last.body).toEqual({
      query: QUERY,
      documents: fused.map((t) => TEXTS[t as keyof typeof TEXTS]),
      top_n: 3,
    });
    expect(cohere.requests.length).toBe(cohereBefore);

    // A Bedrock API key, when set, is sent as a Bearer token instead of signing.
    await set('bedrock.api_key', bedrock.apiKey);
    expect(await titles()).toEqual(reranked);
    expect(bedrock.requests.at(-1)).toMatchObject({ status: 200, authorization: `Bearer ${bedrock.apiKey}` });
    await app.services.settings.unset(sys(), 'bedrock.api_key');
  });

  it('answers in the fused order when Bedrock fails or refuses, and logs no secret', async () => {
    for (const fail of [500, 'bad-json'] as const) {
      bedrock.fail = fail;
      const before = bedrock.requests.length;
      expect(await titles()).toEqual(fused);
      expect(bedrock.requests.length).toBe(before + 1);
    }
    bedrock.fail = null;
    // A wrong secret: Bedrock refuses the signature (403), search still answers.
    await set('aws.secret_access_key', 'not-the-secret-8d0c1e');
    expect(await titles()).toEqual(fused);
    expect(bedrock.requests.at(-1)!.status).toBe(403);
    const warnings = logLines.filter((l) => l.includes('knowledge rerank failed'));
    expect(warnings.some((l) => l.includes('status 500 (InternalServerException)'))).toBe(true);
    expect(warnings.some((l) => l.includes('status 403 (AccessDeniedException)'))).toBe(true);
    expect(warnings.some((l) => l.includes('answer not in the rerank shape'))).toBe(true);
    const log = logLines.join('\n');
    expect(log).not.toContain(bedrock.secretAccessKey);
    expect(log).not.toContain(bedrock.apiKey);
    expect(log).not.toContain('not-the-secret-8d0c1e');

    // One that does not answer is given up on after its timeout (10 s in the service; 300 ms here).
    await set('aws.secret_access_key', bedrock.secretAccessKey);
    bedrock.fail = 'hang';
    const reranker = await rerankerFor({ settings: app.services.settings, fetch: httpFetch, timeoutMs: 300 })(
      staff,
    );
    const candidates = [
      { id: 'a', text: 'first' },
      { id: 'b', text: 'second' },
    ];
    const started = Date.now();
    expect(await reranker!.rerank(QUERY, candidates)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(logLines.filter((l) => l.includes('timed out') && l.includes('amazon-bedrock'))).toHaveLength(1);
    bedrock.fail = null;
    expect(await reranker!.rerank(QUERY, candidates)).toEqual(['b', 'a']);
  });
});
