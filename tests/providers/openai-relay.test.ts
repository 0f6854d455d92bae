/**
 * The light OpenAI chat-completions relay (api/ai/run/openai-relay.ts) against the provider package it
 * stands in for: on the same fake upstream, for answers that complete, stop at the length limit, carry no
 * usage, end with a malformed line or the provider's error event, are cut, are not the protocol, or fail
 * with an HTTP error, it must send the same request and yield the same stream parts (or the same error),
 * so everything the core derives from them — text, usage, finish, the worded failure — is unchanged.
 */
import type { LanguageModelV3, LanguageModelV3Prompt, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chatCompletionsTarget, createProviderModel } from '../../api/ai/providers';
import { chatCompletionsBody, openChatCompletions } from '../../api/ai/run/openai-relay';
import { describeUpstreamError } from '../../api/ai/run/upstream-errors';
import { type FakeUpstream, type Script, startFakeUpstream } from '../helpers/fake-upstreams';

let fake: FakeUpstream;
const model = () =>
  createProviderModel('openai-compatible', 'fake-large', { apiKey: 'sk-relay', baseURL: fake.baseURL });

const PROMPT: LanguageModelV3Prompt = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
  { role: 'assistant', content: [{ type: 'text', text: 'Hi.' }] },
  {
    role: 'user',
    content: [
      { type: 'text', text: 'Tell me' },
      { type: 'text', text: ' more' },
    ],
  },
];
const SETTINGS = { maxOutputTokens: 50, temperature: 0.2, stopSequences: ['END'], seed: 7 };

type Outcome = { parts: unknown[]; error?: { name: string; worded: string; status?: number } };

/** Parts without the SDK's start/metadata parts (which the core ignores); errors by class and wording. */
const comparable = (parts: LanguageModelV3StreamPart[]) =>
  parts
    .filter((p) => p.type !== 'stream-start' && p.type !== 'response-metadata')
    .map((p) => {
      if (p.type === 'error') return { type: 'error', worded: describeUpstreamError(p.error).code };
      if (p.type === 'finish')
        return { type: 'finish', finishReason: p.finishReason, usage: { ...p.usage, raw: undefined } };
      return p;
    });

const failure = (err: unknown) => ({
  name: (err as Error).name,
  worded: describeUpstreamError(err).code,
  status: (err as { statusCode?: number }).statusCode,
});

async function viaSdk(): Promise<Outcome> {
  const parts: LanguageModelV3StreamPart[] = [];
  try {
    const { stream } = await (model() as LanguageModelV3).doStream({
      prompt: PROMPT,
      ...SETTINGS,
    });
    for await (const p of stream as unknown as AsyncIterable<LanguageModelV3StreamPart>) parts.push(p);
  } catch (err) {
    return { parts: comparable(parts), error: failure(err) };
  }
  return { parts: comparable(parts) };
}

async function viaRelay(): Promise<Outcome> {
  const target = chatCompletionsTarget(model())!;
  const body = chatCompletionsBody(target, PROMPT, SETTINGS)!;
  const parts: LanguageModelV3StreamPart[] = [];
  try {
    const read = await openChatCompletions(target, body, new AbortController().signal);
    await read((p) => parts.push(p));
  } catch (err) {
    return { parts: comparable(parts), error: failure(err) };
  }
  return { parts: comparable(parts) };
}

beforeAll(async () => {
  fake = await startFakeUpstream('openai-compatible');
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const chunks = ['Once', ' upon', ' a time.'];
const SCRIPTS: Array<[string, Script]> = [
  ['a complete answer', { chunks, usage: { inputTokens: 40, outputTokens: 3, cachedInputTokens: 8 } }],
  ['the length limit', { chunks, finishReason: 'length' }],
  ['no usage', { chunks, omitUsage: true }],
  ['a malformed line after the answer', { chunks, afterAnswer: 'data: {not json\n\n' }],
  ['the provider’s error event mid-answer', { chunks, errorAfterChunks: 2, errorMessage: 'overloaded' }],
  ['a cut connection', { chunks, cutAfterChunks: 2 }],
  [
    'a body that is not the protocol',
    { chunks, rawBody: { contentType: 'text/html', body: '<html></html>' } },
  ],
  ['HTTP 500', { chunks, fail: { status: 500, message: 'boom' } }],
  ['HTTP 429', { chunks, fail: { status: 429, message: 'slow down' } }],
  ['HTTP 401', { chunks, fail: { status: 401, message: 'bad key' } }],
];

describe('the light OpenAI relay yields what the provider package yields', () => {
  it.each(SCRIPTS)('for %s', async (_name, script) => {
    fake.script(script);
    const sdk = await viaSdk();
    const sdkRequest = fake.lastRequest();
    fake.script(script);
    const relay = await viaRelay();
    const relayRequest = fake.lastRequest();
    expect(relay).toEqual(sdk);
    expect(relayRequest.path).toBe(sdkRequest.path);
    expect(relayRequest.body).toEqual(sdkRequest.body);
    expect(relayRequest.headers.authorization).toBe('Bearer sk-relay');
    expect(relayRequest.headers['content-type']).toBe(sdkRequest.headers['content-type']);
  });

  it('reports an unreachable upstream as the provider package does', async () => {
    const down = createProviderModel('openai-compatible', 'm', { baseURL: 'http://127.0.0.1:9/v1' });
    const target = chatCompletionsTarget(down)!;
    const relayed = await openChatCompletions(
      target,
      chatCompletionsBody(target, PROMPT)!,
      new AbortController().signal,
    ).catch(failure);
    const sdk = await Promise.resolve((down as LanguageModelV3).doStream({ prompt: PROMPT })).catch(failure);
    expect(relayed).toEqual(sdk);
  });

  it('leaves to the SDK what needs translating: files, tools, provider options, other settings', () => {
    const target = chatCompletionsTarget(model())!;
    const image: LanguageModelV3Prompt = [
      { role: 'user', content: [{ type: 'file', mediaType: 'image/png', data: 'AAAA' }] },
    ];
    expect(chatCompletionsBody(target, image)).toBeNull();
    expect(chatCompletionsBody(target, PROMPT, { responseFormat: { type: 'json' } })).toBeNull();
    expect(chatCompletionsBody(target, PROMPT, { topK: 3 })).toBeNull();
    const tagged: LanguageModelV3Prompt = [
      { role: 'user', content: [{ type: 'text', text: 'x' }], providerOptions: { openai: { user: 'u' } } },
    ];
    expect(chatCompletionsBody(target, tagged)).toBeNull();
    expect(chatCompletionsBody(target, PROMPT, { temperature: undefined })).not.toBeNull();
    // Only providers that speak chat completions have a target.
    const google = createProviderModel('google', 'gemini', { apiKey: 'k', baseURL: fake.baseURL });
    expect(chatCompletionsTarget(google)).toBeUndefined();
  });
});
