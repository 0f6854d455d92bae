/**
 * Decision search with a provider embedding model (setting decisions.embedding_model): nodes are embedded
 * through the knowledge feature's provider path (a fake OpenAI-compatible upstream over HTTP), so a
 * paraphrase that shares no word with a decision finds it, and the tokens are billed to the person. Without
 * the setting, or when the model's provider fails, the lexical embedder answers and the paraphrase is not
 * found.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDING_MODEL_SETTING } from '../../api/features/decisions/embedder';
import type { Ctx } from '../../api/lib/ctx';
import { graphNodes, tokenUsage } from '../../db/schema/index';
import { type FakeUpstream, startFakeUpstream } from '../helpers/fake-upstreams';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let fake: FakeUpstream;
let staff: Ctx;
let modelId: string;

const sys = () => app.services.systemCtx();
const titles = async (q: string) =>
  (await app.services.decisions.search(staff, { q })).items.map((n) => n.title);

beforeAll(async () => {
  app = await startTestApp();
  fake = await startFakeUpstream('openai-compatible');
  await app.services.settings.set(sys(), { key: 'openai_compatible.base_url', value: fake.baseURL });
  const model = await app.services.models.create(sys(), {
    provider: 'openai-compatible',
    modelId: 'fake-embedding',
    kind: 'embedding',
    dimensions: 768,
    inputPricePerMillion: '0.02',
  });
  modelId = model.id;
  const user = await app.services.users.create(sys(), {
    email: 'principal@lakeside.example',
    name: 'Principal',
    password: 'Correct-horse-battery-staple-42',
    roles: ['staff'],
  });
  staff = { ...sys(), actor: (await app.services.users.actorFor(app.database.db, user.id))! };
});
afterAll(async () => {
  await fake?.close();
  await app?.close();
});

describe('decision search through a provider embedding model', () => {
  it('falls back to the lexical embedder without the setting: no paraphrase match', async () => {
    const node = await app.services.decisions.createNode(staff, {
      type: 'decision',
      title: 'Buy two electric buses',
    });
    const [row] = await app.database.db.select().from(graphNodes).where(eq(graphNodes.id, node.id));
    expect(row).toMatchObject({ embeddingModel: 'lexical', embeddingDims: 384 });
    expect(await titles('purchase automobile')).toEqual([]);
    expect(fake.requests.some((r) => r.path === '/v1/embeddings')).toBe(false);
  });

  it('embeds through the configured model, finds a paraphrase and bills the person', async () => {
    await app.services.settings.set(sys(), { key: EMBEDDING_MODEL_SETTING, value: modelId });
    const buses = await app.services.decisions.createNode(staff, {
      type: 'decision',
      title: 'Acquire a vehicle for the robotics club',
    });
    await app.services.decisions.createNode(staff, {
      type: 'decision',
      title: 'Hire a physician for the clinic',
    });
    const [row] = await app.database.db.select().from(graphNodes).where(eq(graphNodes.id, buses.id));
    expect(row).toMatchObject({ embeddingModel: modelId, embeddingDims: 768 });
    expect(fake.requests.filter((r) => r.path === '/v1/embeddings')).toHaveLength(2);

    // No word in common with the title: only the model's vectors relate them.
    const hits = (await app.services.decisions.search(staff, { q: 'purchase automobile' })).items;
    expect(hits.map((h) => h.title)).toEqual(['Acquire a vehicle for the robotics club']);
    expect(hits[0]!.matchedBy).toEqual(['semantic']);
    const usage = await app.database.db.select().from(tokenUsage).where(eq(tokenUsage.modelId, modelId));
    expect(usage.length).toBe(3); // two nodes and one query
    expect(usage.every((u) => u.userId === staff.actor.id)).toBe(true);
  });

  it('answers with the lexical embedder when the provider keeps failing', { timeout: 30_000 }, async () => {
    // Every attempt of the provider path's retries fails.
    const fail = { chunks: [], fail: { status: 503, message: 'overloaded' } };
    fake.enqueue(fail, fail, fail, fail);
    const node = await app.services.decisions.createNode(staff, {
      type: 'decision',
      title: 'Paint the gym',
    });
    const [row] = await app.database.db.select().from(graphNodes).where(eq(graphNodes.id, node.id));
    expect(row).toMatchObject({ embeddingModel: 'lexical', embeddingDims: 384 });
  });
});
