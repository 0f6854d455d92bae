/**
 * Provider specifics beyond the shared contract: the URLs production uses, credential handling, retries.
 */
import { generateText, streamText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCredentials } from '../../api/ai/credentials';
import { createProviderModel } from '../../api/ai/providers';
import { createCtx } from '../../api/lib/ctx';
import { AppError } from '../../api/lib/errors';
import { createLogger } from '../../api/lib/logger';
import { type FakeUpstream, startFakeUpstream } from '../helpers/fake-upstreams';

const fakes: FakeUpstream[] = [];
const start = async (p: Parameters<typeof startFakeUpstream>[0]) => {
  const f = await startFakeUpstream(p);
  fakes.push(f);
  return f;
};
afterAll(() => Promise.all(fakes.map((f) => f.close())));

/** Sends requests for real hostnames to the fake (the provider still builds its production URL). */
const redirectTo =
  (fake: FakeUpstream): typeof fetch =>
  (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    return fetch(`${fake.url}${url.pathname}${url.search}`, init);
  };

describe('Azure', () => {
  let fake: FakeUpstream;
  beforeAll(async () => {
    fake = await start('azure');
  });

  it('calls the v1 chat completions URL of the resource with api-version and the api-key header', async () => {
    const model = createProviderModel(
      'azure',
      'gpt-4o-district',
      { apiKey: 'az-prod-key', resourceName: 'district-openai' },
      { fetch: redirectTo(fake) },
    );
    const result = streamText({ model, prompt: 'Hi', maxRetries: 0 });
    expect(await result.text).toBe('Hello from the fake model.');
    const req = fake.lastRequest();
    expect(req.path).toBe('/openai/v1/chat/completions');
    expect(req.query['api-version']).toBe('v1');
    expect(req.headers['api-key']).toBe('az-prod-key');
    expect(req.body).toMatchObject({
      model: 'gpt-4o-district',
      stream: true,
      stream_options: { include_usage: true },
    });
  });
});

describe('OpenAI', () => {
  it('uses the Responses API and reports reasoning tokens', async () => {
    const fake = await start('openai');
    fake.script({ chunks: ['42'], usage: { inputTokens: 30, outputTokens: 20, reasoningTokens: 19 } });
    const result = await generateText({
      model: createProviderModel('openai', 'o-fake', { apiKey: 'sk-x', baseURL: fake.baseURL }),
      prompt: 'Answer',
      maxRetries: 0,
    });
    expect(result.text).toBe('42');
    expect(result.usage.outputTokenDetails.reasoningTokens).toBe(19);
    expect(fake.lastRequest().path).toBe('/v1/responses');
    expect(fake.lastRequest().body).toMatchObject({ model: 'o-fake', input: [expect.any(Object)] });
  });

  it('retries a 429 after the retry-after delay and then succeeds', async () => {
    const fake = await start('openai');
    fake.enqueue({ chunks: [], fail: { status: 429, message: 'busy', retryAfterSeconds: 1 } });
    fake.script({ chunks: ['after', ' retry'] });
    const started = performance.now();
    const result = streamText({
      model: createProviderModel('openai', 'gpt-x', { apiKey: 'sk-x', baseURL: fake.baseURL }),
      prompt: 'Hi',
      maxRetries: 1,
    });
    expect(await result.text).toBe('after retry');
    expect(fake.requests).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });
});

describe('OpenAI-compatible', () => {
  it('asks for usage in the stream (includeUsage), else servers report none', async () => {
    const fake = await start('openai-compatible');
    fake.script({ chunks: ['x'], usage: { inputTokens: 3, outputTokens: 1 } });
    const result = streamText({
      model: createProviderModel('openai-compatible', 'llama', { baseURL: fake.baseURL }),
      prompt: 'Hi',
    });
    expect((await result.usage).inputTokens).toBe(3);
    expect(fake.lastRequest().body).toMatchObject({ stream_options: { include_usage: true } });
    expect(fake.lastRequest().headers.authorization).toBeUndefined();
  });
});

describe('Google', () => {
  it('streams from streamGenerateContent with alt=sse', async () => {
    const fake = await start('google');
    const result = streamText({
      model: createProviderModel('google', 'gemini-fake', { apiKey: 'g', baseURL: fake.baseURL }),
      prompt: 'Hi',
    });
    await result.consumeStream();
    expect(fake.lastRequest().query.alt).toBe('sse');
  });
});

describe('Bedrock', () => {
  it('signs converse-stream with a session token when one is configured', async () => {
    const fake = await start('amazon-bedrock');
    const result = streamText({
      model: createProviderModel('amazon-bedrock', 'anthropic.claude-fake-v1:0', {
        region: 'us-west-2',
        accessKeyId: 'ASIATEMP',
        secretAccessKey: 's',
        sessionToken: 'session-token-1',
        baseURL: fake.baseURL,
      }),
      prompt: 'Hi',
    });
    expect(await result.text).toBe('Hello from the fake model.');
    const req = fake.lastRequest();
    expect(req.path).toBe('/model/anthropic.claude-fake-v1%3A0/converse-stream');
    expect(req.headers['x-amz-security-token']).toBe('session-token-1');
    expect(req.headers.authorization).toMatch(/\/us-west-2\/bedrock\/aws4_request/);
  });
});

describe('credentials', () => {
  const ctx = createCtx({ db: {} as never, log: createLogger({ level: 'silent' }) });
  const settings = (values: Record<string, string>) => ({
    get: async (_c: unknown, k: string) => values[k] ?? null,
  });

  it.each([
    ['openai', {}, ['openai.api_key']],
    ['azure', { 'azure.api_key': 'k' }, ['azure.resource_name']],
    ['google', {}, ['google.api_key']],
    ['amazon-bedrock', { 'aws.region': 'us-east-1' }, ['aws.access_key_id', 'aws.secret_access_key']],
    ['openai-compatible', { 'openai_compatible.api_key': 'k' }, ['openai_compatible.base_url']],
  ] as const)('names what %s still needs', async (provider, values, missing) => {
    const err = await resolveCredentials(settings(values), ctx, provider).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('not_configured:provider');
    expect((err as AppError).details).toEqual({ provider, missing });
  });

  it('lets a model base URL override the provider setting and accepts a Bedrock API key alone', async () => {
    const c = await resolveCredentials(
      settings({ 'openai_compatible.base_url': 'http://default/v1' }),
      ctx,
      'openai-compatible',
      { baseUrl: 'http://per-model/v1' },
    );
    expect(c.baseURL).toBe('http://per-model/v1');
    // The provider-wide key only goes to the provider-wide server's origin.
    const keyed = settings({
      'openai_compatible.base_url': 'http://gateway:8000/v1',
      'openai_compatible.api_key': 'k',
    });
    expect(
      (await resolveCredentials(keyed, ctx, 'openai-compatible', { baseUrl: 'http://gateway:8000/v2' }))
        .apiKey,
    ).toBe('k');
    expect(
      (await resolveCredentials(keyed, ctx, 'openai-compatible', { baseUrl: 'http://elsewhere:8000/v1' }))
        .apiKey,
    ).toBeUndefined();
    const b = await resolveCredentials(
      settings({ 'aws.region': 'us-east-1', 'bedrock.api_key': 'bk' }),
      ctx,
      'amazon-bedrock',
    );
    expect(b).toEqual({ region: 'us-east-1', apiKey: 'bk' });
  });

  it('refuses to build a model with incomplete credentials', () => {
    expect(() => createProviderModel('openai', 'x', {})).toThrow(/openai\.api_key/);
  });
});
