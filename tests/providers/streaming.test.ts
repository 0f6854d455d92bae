/**
 * Every provider path end to end: createProviderModel → AI SDK → real HTTP → the protocol's fake upstream.
 * Same contract for all five: text streams incrementally, usage equals what the upstream reported, the
 * configured key is what the upstream receives, and failures surface as errors (never as silent success).
 */
import { APICallError, generateText, streamText } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProviderModel } from '../../api/ai/providers';
import { type FakeUpstream, startFakeUpstream } from '../helpers/fake-upstreams';
import { CASES, type ProviderCase } from './cases';

async function collect(stream: AsyncIterable<{ type: string; text?: string }>) {
  const deltas: { text: string; at: number }[] = [];
  let error: unknown;
  let aborted = false;
  try {
    for await (const part of stream) {
      if (part.type === 'text-delta') deltas.push({ text: part.text ?? '', at: performance.now() });
      if (part.type === 'error') error = (part as unknown as { error: unknown }).error;
      if (part.type === 'abort') aborted = true;
    }
  } catch (err) {
    error = err;
  }
  return { deltas, error, aborted };
}

describe.each(CASES)('$provider over its wire protocol', (c: ProviderCase) => {
  let fake: FakeUpstream;
  const model = () => createProviderModel(c.provider, 'fake-large', c.credentials(fake));

  beforeAll(async () => {
    fake = await startFakeUpstream(c.provider);
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('streams text incrementally and reports the upstream usage exactly', async () => {
    const chunks = ['Once', ' upon', ' a', ' time', '.'];
    const usage = { inputTokens: 1234, outputTokens: 56, cachedInputTokens: 200, reasoningTokens: 6 };
    fake.script({ chunks, interChunkDelayMs: 40, usage });
    const result = streamText({ model: model(), prompt: 'Tell me a story', maxRetries: 0 });
    const { deltas, error } = await collect(result.fullStream);
    expect(error).toBeUndefined();
    expect(deltas.map((d) => d.text)).toEqual(chunks);
    // Arrived spread over time, as the upstream sent them — not buffered into one burst.
    expect(deltas.at(-1)!.at - deltas[0]!.at).toBeGreaterThanOrEqual(4 * 40 * 0.7);

    const u = await result.usage;
    expect(u.inputTokens).toBe(1234);
    expect(u.outputTokens).toBe(56);
    expect(u.inputTokenDetails.cacheReadTokens).toBe(200);
    expect(u.inputTokenDetails.noCacheTokens).toBe(1034);
    if (c.reasoningDetails) expect(u.outputTokenDetails.reasoningTokens).toBe(6);
    expect(await result.finishReason).toBe('stop');

    const req = fake.lastRequest();
    expect(req.method).toBe('POST');
    expect(req.path).toBe(c.streamPath);
    const auth = req.headers[c.auth.header];
    if (typeof c.auth.value === 'string') expect(auth).toBe(c.auth.value);
    else expect(auth).toMatch(c.auth.value);
    expect(JSON.stringify(req.body)).toContain('Tell me a story');
    expect(await req.outcome).toBe('completed');
  });

  it('answers a non-streaming call with the whole text and usage', async () => {
    fake.script({ chunks: ['Just', ' one', ' answer'], usage: { inputTokens: 7, outputTokens: 3 } });
    const result = await generateText({ model: model(), prompt: 'Hi', maxRetries: 0 });
    expect(result.text).toBe('Just one answer');
    expect(result.usage.inputTokens).toBe(7);
    expect(result.usage.outputTokens).toBe(3);
    expect(result.finishReason).toBe('stop');
    expect(fake.lastRequest().path).toBe(c.generatePath);
  });

  it('reports a length stop when the upstream hit its token limit', async () => {
    fake.script({ chunks: ['cut', ' short'], finishReason: 'length' });
    const result = streamText({ model: model(), prompt: 'Hi', maxRetries: 0 });
    await result.consumeStream();
    expect(await result.text).toBe('cut short');
    expect(await result.finishReason).toBe('length');
  });

  it('surfaces an upstream 500 as an API error with its status', async () => {
    fake.script({ chunks: [], fail: { status: 500, message: 'the fake melted' } });
    const err = await generateText({ model: model(), prompt: 'Hi', maxRetries: 0 }).catch((e: unknown) => e);
    expect(APICallError.isInstance(err)).toBe(true);
    expect((err as APICallError).statusCode).toBe(500);
    const streamed = await collect(
      streamText({ model: model(), prompt: 'Hi', maxRetries: 0, onError: () => {} }).fullStream,
    );
    expect(streamed.deltas).toEqual([]);
    expect(APICallError.isInstance(streamed.error)).toBe(true);
    expect((streamed.error as APICallError).statusCode).toBe(500);
  });

  it('surfaces a 429 with its retry-after header', async () => {
    fake.script({ chunks: [], fail: { status: 429, message: 'slow down', retryAfterSeconds: 30 } });
    const err = await generateText({ model: model(), prompt: 'Hi', maxRetries: 0 }).catch((e: unknown) => e);
    expect(APICallError.isInstance(err)).toBe(true);
    expect((err as APICallError).statusCode).toBe(429);
    expect((err as APICallError).isRetryable).toBe(true);
    expect((err as APICallError).responseHeaders?.['retry-after']).toBe('30');
  });

  it('keeps the partial text and fails when the stream is cut mid-way', async () => {
    fake.script({ chunks: ['one', ' two', ' three', ' four'], interChunkDelayMs: 10, cutAfterChunks: 2 });
    const result = streamText({ model: model(), prompt: 'Hi', maxRetries: 0 });
    const { deltas, error } = await collect(result.fullStream);
    expect(deltas.map((d) => d.text)).toEqual(['one', ' two']);
    expect(error).toBeInstanceOf(Error);
    expect(await fake.lastRequest().outcome).toBe('cut');
  });

  it('keeps the partial text and surfaces the upstream error event sent mid-stream', async () => {
    fake.script({
      chunks: ['alpha', ' beta', ' gamma'],
      interChunkDelayMs: 10,
      errorAfterChunks: 2,
      errorMessage: 'model overloaded mid-answer',
    });
    const result = streamText({ model: model(), prompt: 'Hi', maxRetries: 0, onError: () => {} });
    const { deltas, error } = await collect(result.fullStream);
    expect(deltas.map((d) => d.text)).toEqual(['alpha', ' beta']);
    // Some SDKs hand over the provider's error object, others an Error: either way the reason is readable.
    const reason =
      error instanceof Error ? `${error.message} ${JSON.stringify(error)}` : JSON.stringify(error);
    expect(reason).toContain('model overloaded mid-answer');
    expect(await fake.lastRequest().outcome).toBe('failed');
  });

  it('gives up on a hung upstream when the caller times out, and the upstream sees the close', async () => {
    fake.script({ chunks: ['never'], hang: true });
    const started = performance.now();
    const { deltas, error, aborted } = await collect(
      streamText({ model: model(), prompt: 'Hi', maxRetries: 0, abortSignal: AbortSignal.timeout(200) })
        .fullStream,
    );
    expect(deltas).toEqual([]);
    // The AI SDK reports a caller's abort as an `abort` part (or a thrown AbortError), not as output.
    expect(aborted || error instanceof Error).toBe(true);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await fake.lastRequest().outcome).toBe('client-closed');
  });

  it('stops the upstream stream when the caller aborts mid-answer (the stop button)', async () => {
    fake.script({ chunks: Array.from({ length: 50 }, (_, i) => ` t${i}`), interChunkDelayMs: 20 });
    const stop = new AbortController();
    const result = streamText({ model: model(), prompt: 'Hi', maxRetries: 0, abortSignal: stop.signal });
    const seen: string[] = [];
    for await (const text of result.textStream) {
      seen.push(text);
      if (seen.length === 3) stop.abort();
    }
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.length).toBeLessThan(50);
    expect(await fake.lastRequest().outcome).toBe('client-closed');
  });
});
