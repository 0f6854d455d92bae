/**
 * Knowledge beyond text layers and words: an image-only PDF page and a PNG of text become searchable through
 * offline OCR (tesseract) and say so — with this process off the network (tests/helpers/offline.ts: any
 * non-loopback connection attempt, in any thread, tesseract's own worker included, throws and is recorded;
 * the first test shows that it does); a registry embedding model (OpenAI-compatible, fake
 * upstream over HTTP) finds a paraphrase that shares no word with the text and bills the uploader; the MCP
 * tool `search_knowledge` (in-process and through /api/mcp with the SDK client) returns nothing from a
 * repository its caller may not read; an item left mid-way by
 * a killed process is resumed to ready without duplicate chunks.
 */
import dns from 'node:dns';
import { createRequire } from 'node:module';
import net from 'node:net';
import { Worker } from 'node:worker_threads';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createCanvas } from '@napi-rs/canvas';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchKnowledgeTool } from '../../api/features/knowledge/knowledge.tools';
import type { Ctx } from '../../api/lib/ctx';
import { knowledgeChunks, knowledgeItems, tokenUsage } from '../../db/schema/index';
import { makePdfDocument } from '../helpers/documents';
import { type FakeUpstream, startFakeUpstream } from '../helpers/fake-upstreams';
import { goOffline, type Offline } from '../helpers/offline';
import { startTestApp, type TestApp } from '../helpers/test-app';

let offline: Offline;
let app: TestApp;
let fake: FakeUpstream;
let owner: Ctx;
let stranger: Ctx;

function textImage(text: string, type: 'image/png' | 'image/jpeg') {
  const canvas = createCanvas(1400, 200);
  const g = canvas.getContext('2d');
  g.fillStyle = 'white';
  g.fillRect(0, 0, 1400, 200);
  g.fillStyle = 'black';
  g.font = '52px sans-serif';
  g.fillText(text, 40, 120);
  return new Uint8Array(type === 'image/png' ? canvas.toBuffer('image/png') : canvas.toBuffer('image/jpeg'));
}

async function ready(repositoryId: string, itemId: string) {
  await expect
    .poll(async () => (await app.services.knowledge.getItem(owner, repositoryId, itemId)).status, {
      // OCR of a page takes seconds on an idle machine and much longer on a busy shared one.
      timeout: 200_000,
      interval: 250,
    })
    .toMatch(/^(ready|failed)$/);
  return app.services.knowledge.getItem(owner, repositoryId, itemId);
}

async function ctxFor(email: string): Promise<Ctx> {
  const user = await app.services.users.create(app.services.systemCtx(), {
    email,
    name: email,
    password: 'Correct-horse-battery-staple-42',
    roles: ['staff'],
  });
  return {
    ...app.services.systemCtx(),
    actor: (await app.services.users.actorFor(app.database.db, user.id))!,
  };
}

beforeAll(async () => {
  offline = goOffline(); // before the app starts: everything in this file runs without a network
  app = await startTestApp({ jobs: 'work' });
  fake = await startFakeUpstream('openai-compatible');
  await app.services.users.create(app.services.systemCtx(), {
    email: 'admin@lakeside.example',
    name: 'Admin',
    password: 'Correct-horse-battery-staple-42',
    roles: ['administrator'],
  });
  owner = await ctxFor('owner@lakeside.example');
  stranger = await ctxFor('stranger@lakeside.example');
});
afterAll(async () => {
  await fake?.close();
  await app?.close();
  offline?.restore();
});

/** Runs `code` (CommonJS) in a new worker thread of this process; answers the first message it posts. */
function inWorker(code: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(`const { parentPort } = require('node:worker_threads');\n${code}`, {
      eval: true,
    });
    worker.once('message', (message: string) => {
      void worker.terminate();
      resolve(message);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the worker exited (${code}) without answering`)));
  });
}

describe('knowledge search', { timeout: 240_000 }, () => {
  it("runs off the network: a connection anywhere but loopback fails, in every thread, tesseract's included", async () => {
    const mark = offline.mark();
    await expect(fetch('http://example.com/')).rejects.toThrow(
      /network-guard: fetch to http:\/\/example.com/,
    );
    expect(() => net.connect(80, 'example.com')).toThrow(/network-guard: connect to example.com:80/);
    await expect(dns.promises.lookup('example.com')).rejects.toThrow(/network-guard/);
    expect(
      await inWorker(
        `fetch('https://example.com/').then(() => 'connected', (e) => e.message).then((m) => parentPort.postMessage(m));`,
      ),
    ).toMatch(/network-guard: fetch to https:\/\/example.com/);
    // tesseract.js, loaded in a worker thread as the OCR worker loads it, without a local langPath: it
    // downloads its data from a CDN in its own (nested) worker thread, and that is refused.
    const tesseract = JSON.stringify(createRequire(import.meta.url).resolve('tesseract.js'));
    const report = (m: string) => `parentPort.postMessage(${m})`;
    expect(
      await inWorker(
        `require(${tesseract}).createWorker('eng', 1, { cacheMethod: 'none', errorHandler: (e) => ${report('String(e)')} })
           .then(() => ${report("'loaded'")}, () => {});`,
      ),
    ).toMatch(/network-guard: fetch to https:\/\/cdn\.jsdelivr\.net/);
    const blocked = offline.blocked(mark);
    expect(blocked.map((b) => b.kind)).toEqual(['fetch', 'connect', 'dns.promises.lookup', 'fetch', 'fetch']);
    const threads = offline.threads(mark);
    expect(threads.every((t) => t.guarded)).toBe(true);
    const tesseractThread = threads.find((t) =>
      /tesseract\.js\/src\/worker-script\/node\/index\.js$/.test(t.script),
    );
    expect(blocked[3]!.thread).toBe(threads[0]!.thread);
    expect(blocked[4]).toMatchObject({
      thread: tesseractThread?.thread,
      target: expect.stringMatching(/^https:\/\/cdn\.jsdelivr\.net\//),
    });
    // Loopback stays open (the app, its database and the fake upstreams).
    expect((await app.fetch('/api/v1/health')).status).toBe(200);
  });

  it('reads an image-only PDF page and a PNG through offline OCR and says which engine read them', async () => {
    const mark = offline.mark();
    const repo = await app.services.knowledge.createRepository(owner, { name: 'Scans' });
    const scan = makePdfDocument([
      { lines: ['Cover page with a text layer'] },
      {
        jpeg: {
          bytes: textImage('Fire drills happen every second Tuesday', 'image/jpeg'),
          width: 1400,
          height: 200,
        },
      },
    ]);
    const pdf = await app.services.knowledge.addFile(owner, repo.id, { filename: 'scan.pdf', bytes: scan });
    const png = await app.services.knowledge.addFile(owner, repo.id, {
      filename: 'notice.png',
      bytes: textImage('Cafeteria closes early on Fridays', 'image/png'),
    });
    const pdfItem = await ready(repo.id, pdf.id);
    expect(pdfItem).toMatchObject({ status: 'ready', stats: { ocrPages: 1, ocrEngine: 'tesseract' } });
    expect((await ready(repo.id, png.id)).status).toBe('ready');
    const [drill] = await app.services.knowledge.search(owner, {
      q: 'fire drills Tuesday',
      repositoryIds: [repo.id],
    });
    expect(drill).toMatchObject({ itemId: pdf.id, location: { page: 2 }, readBy: 'tesseract' });
    const [cafeteria] = await app.services.knowledge.search(owner, {
      q: 'cafeteria closes',
      repositoryIds: [repo.id],
    });
    expect(cafeteria).toMatchObject({ itemId: png.id, readBy: 'tesseract' });
    // No thread tried the network, and the OCR ran in guarded threads: per file, the OCR worker and
    // tesseract's own worker inside it.
    expect(offline.blocked(mark)).toEqual([]);
    const threads = offline.threads(mark);
    expect(threads.every((t) => t.guarded)).toBe(true);
    expect(threads.filter((t) => t.script.endsWith('/knowledge/ocr.worker.mjs'))).toHaveLength(2);
    expect(
      threads.filter((t) => t.script.endsWith('/tesseract.js/src/worker-script/node/index.js')),
    ).toHaveLength(2);
  });

  it('finds a paraphrase with a provider embedding model and bills the uploader', async () => {
    const admin = { ...app.services.systemCtx() };
    await app.services.settings.set(admin, { key: 'openai_compatible.base_url', value: fake.baseURL });
    const model = await app.services.models.create(admin, {
      provider: 'openai-compatible',
      modelId: 'fake-embedding',
      kind: 'embedding',
      dimensions: 768,
      inputPricePerMillion: '0.02',
    });
    expect(model).toMatchObject({ kind: 'embedding', dimensions: 768, surfaces: [] });
    const repo = await app.services.knowledge.createRepository(owner, {
      name: 'Health office',
      embeddingModelId: model.id,
    });
    expect(repo.embeddingModel).toEqual({ id: model.id, name: 'fake-embedding', dimensions: 768 });
    const text = 'When pupils feel unwell the nurse phones their guardian.';
    const item = await app.services.knowledge.addText(owner, repo.id, { title: 'Sick policy', text });
    const other = await app.services.knowledge.addText(owner, repo.id, {
      title: 'Trips',
      text: 'Field trip forms are collected in the main office by Monday.',
    });
    expect((await ready(repo.id, item.id)).status).toBe('ready');
    expect((await ready(repo.id, other.id)).status).toBe('ready');
    const chunks = await app.database.db
      .select()
      .from(knowledgeChunks)
      .where(eq(knowledgeChunks.itemId, item.id));
    expect(chunks.every((c) => c.dims === 768)).toBe(true);
    // No word in common with either text, so full text finds nothing: only the model's vectors rank them.
    const results = await app.services.knowledge.search(owner, {
      q: 'doctor for ill kids',
      repositoryIds: [repo.id],
    });
    expect(results.map((r) => r.itemId)).toEqual([item.id, other.id]);
    expect(results[0]!.snippet).not.toContain('<mark>');
    expect(fake.requests.some((r) => r.path === '/v1/embeddings')).toBe(true);
    const usage = await app.database.db.select().from(tokenUsage).where(eq(tokenUsage.surface, 'knowledge'));
    expect(usage.length).toBeGreaterThanOrEqual(2);
    expect(usage.every((u) => u.userId === owner.actor.id && u.modelId === model.id)).toBe(true);
  });

  it('search_knowledge answers only from repositories the caller may read', async () => {
    const repo = await app.services.knowledge.createRepository(owner, { name: 'Private notes' });
    const item = await app.services.knowledge.addText(owner, repo.id, {
      title: 'Budget',
      text: 'The robotics club budget is four hundred dollars.',
    });
    await ready(repo.id, item.id);
    const call = (ctx: Ctx, repositoryIds?: string[]) =>
      searchKnowledgeTool.handler(
        { query: 'robotics club budget', limit: 5, repositoryIds },
        { ctx, services: app.services, signal: new AbortController().signal },
      );
    const mine = await call(owner);
    expect(mine.results[0]).toMatchObject({ itemId: item.id, title: 'Budget' });
    expect(mine.results[0]!.text).toContain('four hundred dollars');
    expect((await call(stranger)).results.map((r) => r.itemId)).not.toContain(item.id);
    await expect(call(stranger, [repo.id])).rejects.toMatchObject({ status: 404 });

    // The same through /api/mcp with the official client over Streamable HTTP, as an agent would call it.
    const overMcp = async (email: string, repositoryIds?: string[]) => {
      const { secret } = await app.services.apiKeys.createForEmail(app.services.systemCtx(), email, {
        name: 'agent',
        scopes: ['mcp:read', 'knowledge:read'],
      });
      const client = new Client({ name: 'knowledge-agent', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${app.url}/api/mcp`), {
          requestInit: { headers: { Authorization: `Bearer ${secret}` } },
        }),
      );
      try {
        return await client.callTool({
          name: 'search_knowledge',
          arguments: { query: 'robotics club budget', ...(repositoryIds ? { repositoryIds } : {}) },
        });
      } finally {
        await client.close();
      }
    };
    const ownerResult = await overMcp('owner@lakeside.example');
    expect(ownerResult.isError).toBeFalsy();
    expect(JSON.stringify(ownerResult.structuredContent)).toContain('four hundred dollars');
    const strangerResult = await overMcp('stranger@lakeside.example');
    expect(JSON.stringify(strangerResult)).not.toContain('four hundred dollars');
    const pointed = await overMcp('stranger@lakeside.example', [repo.id]);
    expect(pointed.isError).toBe(true);
    expect(JSON.stringify(pointed)).not.toContain('four hundred dollars');
  });

  it('resumes an item a killed process left mid-way, without duplicate chunks', async () => {
    const repo = await app.services.knowledge.createRepository(owner, { name: 'Resume' });
    const item = await app.services.knowledge.addText(owner, repo.id, {
      title: 'Bells',
      text: 'The first bell rings at 8:05 and the last at 3:10.',
    });
    await ready(repo.id, item.id);
    // As a crash mid-embedding leaves it: processing, vectors missing, untouched for a long time.
    await app.database.db
      .update(knowledgeItems)
      .set({ status: 'processing', stage: 'embedding', updatedAt: new Date(Date.now() - 3_600_000) })
      .where(eq(knowledgeItems.id, item.id));
    await app.database.db
      .update(knowledgeChunks)
      .set({ embedding: null, dims: null })
      .where(eq(knowledgeChunks.itemId, item.id));
    const before = await app.database.db
      .select()
      .from(knowledgeChunks)
      .where(eq(knowledgeChunks.itemId, item.id));
    expect(await app.services.knowledgePipeline.resumeStale(app.services.systemCtx())).toBeGreaterThanOrEqual(
      1,
    );
    const after = await ready(repo.id, item.id);
    expect(after.status).toBe('ready');
    const chunks = await app.database.db
      .select()
      .from(knowledgeChunks)
      .where(eq(knowledgeChunks.itemId, item.id));
    expect(chunks.map((c) => c.id).sort()).toEqual(before.map((c) => c.id).sort());
    expect(chunks.every((c) => c.dims === 384)).toBe(true);
  });
});
