/**
 * Changing a repository's embedding model (issue 12.1, docs/decisions/024), on real Postgres with a fake
 * OpenAI-compatible embedding server over HTTP: the items re-embed into new generations while search keeps
 * answering from the old model's index; when the last item is done the model and generations swap in one
 * transaction and search uses the new model; a failure abandons the change and the old index keeps serving.
 * The pipeline's steps are run here one by one (the queue only records the jobs), so the test can look at
 * search between them.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../api/lib/ctx';
import { knowledgeChunks } from '../../db/schema/index';
import { type FakeUpstream, startFakeUpstream } from '../helpers/fake-upstreams';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let fake: FakeUpstream;
let owner: Ctx;
let goodModel: string;
let brokenModel: string;

const NURSE = 'When pupils feel unwell the nurse phones their guardian.';
const TRIPS = 'Field trip forms are collected in the main office by Monday.';

/** Runs the item's current generation through ingest and embed, as the two jobs would. */
async function index(repositoryId: string, itemId: string): Promise<void> {
  const sys = app.services.systemCtx();
  const { generation } = await app.services.knowledge.getItem(sys, repositoryId, itemId);
  const input = { itemId, generation };
  try {
    await app.services.knowledgePipeline.ingest(sys, input);
    await app.services.knowledgePipeline.embed(sys, input);
  } catch (err) {
    await app.services.knowledgePipeline.fail(sys, input, err); // what the job does with a permanent error
  }
}

const search = async (repositoryId: string, q: string) =>
  (await app.services.knowledge.search(owner, { q, repositoryIds: [repositoryId] })).map((r) => r.title);
const embeddingCalls = () => fake.requests.filter((r) => r.path === '/v1/embeddings').length;
const dimsOf = async (itemId: string) =>
  (
    await app.database.db
      .select({ dims: knowledgeChunks.dims, generation: knowledgeChunks.generation })
      .from(knowledgeChunks)
      .where(eq(knowledgeChunks.itemId, itemId))
  ).map((c) => `${c.generation}:${c.dims}`);

beforeAll(async () => {
  app = await startTestApp({ jobs: 'send' });
  fake = await startFakeUpstream('openai-compatible');
  const sys = app.services.systemCtx();
  await app.services.settings.set(sys, { key: 'openai_compatible.base_url', value: fake.baseURL });
  goodModel = (
    await app.services.models.create(sys, {
      provider: 'openai-compatible',
      modelId: 'fake-embedding',
      kind: 'embedding',
      dimensions: 768,
    })
  ).id;
  // Registered as 512 dimensions; the server answers 768: every embedding with it fails.
  brokenModel = (
    await app.services.models.create(sys, {
      provider: 'openai-compatible',
      modelId: 'fake-embedding-misconfigured',
      kind: 'embedding',
      dimensions: 512,
    })
  ).id;
  const user = await app.services.users.create(sys, {
    email: 'librarian@district.example',
    name: 'Librarian',
    password: 'Correct-horse-battery-staple-42',
    roles: ['staff'],
  });
  owner = { ...sys, actor: (await app.services.users.actorFor(app.database.db, user.id))! };
}, 120_000);
afterAll(async () => {
  await fake?.close();
  await app?.close();
});

describe('changing the embedding model', { timeout: 120_000 }, () => {
  it('re-embeds while the old index answers, then swaps; a failure keeps the index it had', async () => {
    const repo = await app.services.knowledge.createRepository(owner, { name: 'Health office' });
    const nurse = await app.services.knowledge.addText(owner, repo.id, { title: 'Sick policy', text: NURSE });
    const trips = await app.services.knowledge.addText(owner, repo.id, { title: 'Trips', text: TRIPS });
    await index(repo.id, nurse.id);
    await index(repo.id, trips.id);
    expect(await search(repo.id, 'nurse guardian')).toEqual(['Sick policy', 'Trips']);

    const changing = await app.services.knowledge.changeEmbeddingModel(owner, repo.id, {
      embeddingModelId: goodModel,
    });
    expect(changing.reembedding).toEqual({ id: goodModel, dimensions: 768 });
    expect(changing.embeddingModel).toMatchObject({ id: null, dimensions: 384 });
    // Audited as the model before → after (null: the built-in lexical embedder).
    const [audited] = await app.services.audit.list(app.services.systemCtx(), {
      action: 'knowledge.repository_reembed',
      limit: 1,
    });
    expect(audited).toMatchObject({
      targetId: repo.id,
      details: { embeddingModelId: { from: null, to: goodModel } },
    });

    // One item re-embedded: it waits, and search still reads the lexical index with the lexical model.
    await index(repo.id, nurse.id);
    expect(await app.services.knowledge.getItem(owner, repo.id, nurse.id)).toMatchObject({
      status: 'processing',
      stage: 'waiting',
      publishedGeneration: 1,
      generation: 2,
    });
    expect((await dimsOf(nurse.id)).sort()).toEqual(['1:384', '2:768']);
    const calls = embeddingCalls();
    expect(await search(repo.id, 'nurse guardian')).toEqual(['Sick policy', 'Trips']);
    expect(embeddingCalls()).toBe(calls); // the question was embedded by the lexical model, not the new one

    // The last item done: model and generations swap together; search embeds with the new model.
    await index(repo.id, trips.id);
    const swapped = await app.services.knowledge.getRepository(owner, repo.id);
    expect(swapped).toMatchObject({
      embeddingModel: { id: goodModel, dimensions: 768 },
      reembedding: null,
      reembedError: null,
    });
    expect(await app.services.knowledge.getItem(owner, repo.id, nurse.id)).toMatchObject({
      status: 'ready',
      publishedGeneration: 2,
    });
    expect(await dimsOf(nurse.id)).toEqual(['2:768']);
    // No word in common with either text: only the new model's vectors can rank the nurse first.
    expect((await search(repo.id, 'doctor for ill kids'))[0]).toBe('Sick policy');
    expect(embeddingCalls()).toBeGreaterThan(calls);

    // A change that fails on one item is abandoned: the 768-dimension index keeps serving.
    await app.services.knowledge.changeEmbeddingModel(owner, repo.id, { embeddingModelId: brokenModel });
    await index(repo.id, nurse.id);
    expect(await app.services.knowledge.getItem(owner, repo.id, nurse.id)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('768 dimensions'),
    });
    expect((await app.services.knowledge.getRepository(owner, repo.id)).reembedding).not.toBeNull();
    expect((await search(repo.id, 'doctor for ill kids'))[0]).toBe('Sick policy');
    await index(repo.id, trips.id); // fails too: the last item settles the change
    const abandoned = await app.services.knowledge.getRepository(owner, repo.id);
    expect(abandoned).toMatchObject({
      embeddingModel: { id: goodModel, dimensions: 768 },
      reembedding: null,
      reembedError: expect.stringContaining('could not be embedded with the new model'),
    });
    expect(await dimsOf(nurse.id)).toEqual(['2:768']);
    expect((await search(repo.id, 'doctor for ill kids'))[0]).toBe('Sick policy');
    expect(await search(repo.id, 'field trip forms')).toContain('Trips');
  });

  it('is refused for a model that is not an active embedding model, and for non-owners', async () => {
    const repo = await app.services.knowledge.createRepository(owner, { name: 'Other' });
    await expect(
      app.services.knowledge.changeEmbeddingModel(owner, repo.id, { embeddingModelId: crypto.randomUUID() }),
    ).rejects.toMatchObject({ status: 422, details: { fields: { embeddingModelId: expect.any(String) } } });
    const stranger = await app.services.users.create(app.services.systemCtx(), {
      email: 'stranger@district.example',
      name: 'Stranger',
      password: 'Correct-horse-battery-staple-42',
      roles: ['staff'],
    });
    const ctx = {
      ...app.services.systemCtx(),
      actor: (await app.services.users.actorFor(app.database.db, stranger.id))!,
    };
    await expect(
      app.services.knowledge.changeEmbeddingModel(ctx, repo.id, { embeddingModelId: goodModel }),
    ).rejects.toMatchObject({ status: 404 });
    // An empty repository swaps at once.
    const empty = await app.services.knowledge.changeEmbeddingModel(owner, repo.id, {
      embeddingModelId: goodModel,
    });
    expect(empty).toMatchObject({ embeddingModel: { id: goodModel }, reembedding: null });
  });
});
