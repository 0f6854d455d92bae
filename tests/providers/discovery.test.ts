/** "Discover models" for each provider against its fake: path, auth, paging, filtering, errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listProviderModels } from '../../api/ai/discovery';
import { AppError } from '../../api/lib/errors';
import { type FakeUpstream, startFakeUpstream } from '../helpers/fake-upstreams';

const fakes: FakeUpstream[] = [];
const start = async (p: Parameters<typeof startFakeUpstream>[0]) => {
  const f = await startFakeUpstream(p);
  fakes.push(f);
  return f;
};
afterAll(() => Promise.all(fakes.map((f) => f.close())));

const MODELS = [
  { id: 'b-model', name: 'B Model', contextWindow: 1_000_000, maxOutputTokens: 8192 },
  { id: 'a-model', name: 'A Model', contextWindow: 32_000, maxOutputTokens: 4096 },
  { id: 'c-model' },
];

describe('OpenAI and OpenAI-compatible', () => {
  let fake: FakeUpstream;
  beforeAll(async () => {
    fake = await start('openai');
    fake.models = MODELS;
  });

  it('lists GET /v1/models sorted by id with the bearer key', async () => {
    const list = await listProviderModels('openai', { apiKey: 'sk-list', baseURL: fake.baseURL });
    expect(list.map((m) => m.id)).toEqual(['a-model', 'b-model', 'c-model']);
    expect(fake.lastRequest()).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(fake.lastRequest().headers.authorization).toBe('Bearer sk-list');
  });

  it('sends no authorization to a keyless compatible server (Ollama)', async () => {
    await listProviderModels('openai-compatible', { baseURL: fake.baseURL });
    expect(fake.lastRequest().headers.authorization).toBeUndefined();
  });

  it('turns a refusal into a 502 upstream:provider error without echoing the key', async () => {
    const err = await listProviderModels('openai', {
      apiKey: 'sk-secret-xyz',
      baseURL: `${fake.url}/nope`,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(502);
    expect((err as AppError).details).toMatchObject({ upstreamStatus: 404 });
    expect(JSON.stringify((err as AppError).details) + (err as AppError).message).not.toContain(
      'sk-secret-xyz',
    );
  });

  it('reports an unreachable server as 502', async () => {
    const err = await listProviderModels('openai-compatible', { baseURL: 'http://127.0.0.1:9/v1' }).catch(
      (e: unknown) => e,
    );
    expect((err as AppError).code).toBe('upstream:provider');
  });
});

describe('Google', () => {
  it('follows page tokens and keeps context limits', async () => {
    const fake = await start('google');
    fake.models = Array.from({ length: 2_500 }, (_, i) => ({
      id: `gemini-${String(i).padStart(4, '0')}`,
      contextWindow: 1_048_576,
      maxOutputTokens: 65_536,
    }));
    const list = await listProviderModels('google', { apiKey: 'g-key', baseURL: fake.baseURL });
    expect(list).toHaveLength(2_500);
    expect(list[0]).toMatchObject({ id: 'gemini-0000', contextWindow: 1_048_576, maxOutputTokens: 65_536 });
    const pages = fake.requests.filter((r) => r.path === '/v1beta/models');
    expect(pages.map((r) => r.query.pageToken ?? null)).toEqual([null, '1000', '2000']);
    expect(pages[0]!.headers['x-goog-api-key']).toBe('g-key');
  });
});

describe('Azure', () => {
  it('lists deployments (what one calls) with the api-key header', async () => {
    const fake = await start('azure');
    fake.models = MODELS;
    const list = await listProviderModels('azure', { apiKey: 'az-key', baseURL: fake.baseURL });
    expect(list.map((m) => m.id)).toEqual(['a-model', 'b-model', 'c-model']);
    expect(list[0]!.description).toBe('Deployment of a-model');
    expect(fake.lastRequest()).toMatchObject({
      path: '/openai/deployments',
      query: { 'api-version': '2023-03-15-preview' },
    });
    expect(fake.lastRequest().headers['api-key']).toBe('az-key');
  });
});

describe('Bedrock', () => {
  let fake: FakeUpstream;
  beforeAll(async () => {
    fake = await start('amazon-bedrock');
    fake.models = MODELS;
  });

  it('lists on-demand foundation models and inference profiles, SigV4-signed for the bedrock service', async () => {
    const list = await listProviderModels('amazon-bedrock', {
      region: 'eu-west-1',
      accessKeyId: 'AKIDLIST',
      secretAccessKey: 'list-secret',
      baseURL: fake.baseURL,
    });
    expect(list.map((m) => m.id)).toEqual(['a-model', 'b-model', 'c-model', 'us.b-model']);
    const paths = fake.requests.map((r) => r.path).sort();
    expect(paths).toEqual(['/foundation-models', '/inference-profiles']);
    for (const r of fake.requests) {
      expect(r.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDLIST\/\d{8}\/eu-west-1\/bedrock\/aws4_request/,
      );
      expect(r.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    }
  });

  it('uses a Bedrock API key as a bearer token instead of signing', async () => {
    fake.reset();
    await listProviderModels('amazon-bedrock', {
      region: 'us-east-1',
      apiKey: 'bedrock-api-key',
      baseURL: fake.baseURL,
    });
    expect(fake.lastRequest().headers.authorization).toBe('Bearer bedrock-api-key');
  });
});
