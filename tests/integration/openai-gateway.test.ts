/**
 * The OpenAI-compatible gateway driven by the official `openai` npm client: an `sk-` key pointed at
 * APP_URL/api/v1 lists the caller's models and streams (and non-streams) a completion from a model served
 * by a fake upstream; the tokens land in that user's usage (surface `api`). Scopes, revoked keys, unknown
 * models and bad input answer OpenAI-shaped errors the client turns into its typed exceptions.
 */
import { and, asc, eq } from 'drizzle-orm';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenUsage } from '../../db/schema/index';
import { type FakeUpstream, startFakeUpstream } from '../helpers/fake-upstreams';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let upstream: FakeUpstream;
let staffId: string;
let adminId: string;
let chatKey: string;
const MODEL = 'llama3.1:8b';

async function signUp(email: string) {
  const { user } = await app.services.auth.signUp(app.services.systemCtx(), {
    email,
    password: 'Correct-horse-battery-staple-42',
    name: email.split('@')[0],
  });
  return user.id;
}

const keyFor = async (email: string, scopes: string[]) =>
  (await app.services.apiKeys.createForEmail(app.services.systemCtx(), email, { name: 'sdk', scopes }))
    .secret;

const client = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${app.url}/api/v1`, maxRetries: 0 });

beforeAll(async () => {
  app = await startTestApp();
  upstream = await startFakeUpstream('openai-compatible');
  adminId = await signUp('admin@district.example');
  staffId = await signUp('teacher@district.example');
  await app.services.models.create(app.services.systemCtx(), {
    provider: 'openai-compatible',
    modelId: MODEL,
    displayName: 'Llama 3.1 (local)',
    baseUrl: upstream.baseURL,
    inputPricePerMillion: '1',
    outputPricePerMillion: '2',
  });
  chatKey = await keyFor('teacher@district.example', ['chat', 'models:read']);
});
afterAll(async () => {
  await upstream?.close();
  await app?.close();
});

async function apiUsage() {
  return app.database.db
    .select()
    .from(tokenUsage)
    .where(and(eq(tokenUsage.userId, staffId), eq(tokenUsage.surface, 'api')))
    .orderBy(asc(tokenUsage.createdAt));
}

describe('official openai client against /api/v1', () => {
  it('lists the caller’s models', async () => {
    const page = await client(chatKey).models.list();
    expect(page.data.map((m) => m.id)).toEqual([MODEL]);
    expect(page.data[0]).toMatchObject({ object: 'model', owned_by: 'openai-compatible' });
    const one = await client(chatKey).models.retrieve(MODEL);
    expect(one.id).toBe(MODEL);
  });

  it('streams a completion and records its tokens in the user’s usage', async () => {
    upstream.script({ chunks: ['Hello', ' from', ' the fake'], usage: { inputTokens: 21, outputTokens: 3 } });
    const stream = await client(chatKey).chat.completions.create({
      model: MODEL,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello' },
      ],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Hello from the fake');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 21, completion_tokens: 3, total_tokens: 24 });

    const sent = upstream.lastRequest().body as { messages: { role: string; content: unknown }[] };
    expect(sent.messages[0]).toMatchObject({ role: 'system', content: 'Be brief.' });

    const rows = await apiUsage();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ inputTokens: 21, outputTokens: 3 });
    expect(Number(rows[0]!.costUsd)).toBeCloseTo((21 * 1 + 3 * 2) / 1e6, 12);
    const mine = await app.services.usage.myUsage({
      ...app.services.systemCtx(),
      actor: (await app.services.users.actorFor(app.database.db, staffId))!,
    });
    expect(mine.bySurface).toContainEqual(expect.objectContaining({ surface: 'api', totalTokens: 24 }));
  });

  it('answers a non-streaming completion with usage', async () => {
    upstream.script({ chunks: ['Four'], usage: { inputTokens: 9, outputTokens: 1 } });
    const done = await client(chatKey).chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: [{ type: 'text', text: '2+2?' }] }],
      max_tokens: 5,
      temperature: 0,
    });
    expect(done.object).toBe('chat.completion');
    expect(done.choices[0]).toMatchObject({
      message: { role: 'assistant', content: 'Four' },
      finish_reason: 'stop',
    });
    expect(done.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 });
    expect(await apiUsage()).toHaveLength(2);
  });

  it('refuses a key without the chat scope (403) and revoked keys (401)', async () => {
    const readOnly = await keyFor('teacher@district.example', ['models:read']);
    expect((await client(readOnly).models.list()).data).toHaveLength(1);
    const denied = await client(readOnly)
      .chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((denied as InstanceType<typeof OpenAI.PermissionDeniedError>).error).toMatchObject({
      type: 'permission_error',
      code: 'forbidden:scope',
    });

    const chatOnly = await keyFor('teacher@district.example', ['chat']);
    expect(
      await client(chatOnly)
        .models.list()
        .catch((e: unknown) => e),
    ).toBeInstanceOf(OpenAI.PermissionDeniedError);

    const { items } = await app.services.apiKeys.adminList(app.services.systemCtx(), { limit: 200 });
    const row = items.find((k) => chatOnly.startsWith(k.prefix))!;
    await app.services.apiKeys.adminRevoke(app.services.systemCtx(), row.id);
    const revoked = await client(chatOnly)
      .models.list()
      .catch((e: unknown) => e);
    expect(revoked).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((revoked as InstanceType<typeof OpenAI.AuthenticationError>).error).toMatchObject({
      code: 'invalid_api_key',
    });
  });

  it('answers unknown models 404 and bad input 422 in OpenAI’s error shape', async () => {
    const missing = await client(chatKey)
      .chat.completions.create({ model: 'gpt-99', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect((missing as InstanceType<typeof OpenAI.NotFoundError>).error).toMatchObject({
      code: 'model_not_found',
      param: 'model',
    });

    const res = await fetch(`${app.url}/api/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${chatKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, messages: [] }),
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(body.error).toMatchObject({ type: 'invalid_request_error', param: 'messages' });
  });

  it('refuses an image for a model without vision, naming the message, and sends nothing (issue 15.10)', async () => {
    const sent = upstream.requests.length;
    const pixel =
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
    const refused = await client(chatKey)
      .chat.completions.create({
        model: MODEL,
        messages: [
          { role: 'system', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in this picture?' },
              { type: 'image_url', image_url: { url: pixel } },
            ],
          },
        ],
      })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.UnprocessableEntityError);
    expect((refused as InstanceType<typeof OpenAI.UnprocessableEntityError>).error).toMatchObject({
      type: 'invalid_request_error',
      param: 'messages.1.content',
      message: 'Llama 3.1 (local) does not read images',
    });
    expect(upstream.requests.length).toBe(sent);
  });

  it('turns an upstream failure into a 502 (JSON) or an error event (stream)', async () => {
    upstream.script({ chunks: [], fail: { status: 500, message: 'upstream exploded' } });
    const failed = await client(chatKey)
      .chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(OpenAI.InternalServerError);
    expect((failed as { status: number }).status).toBe(502);

    upstream.script({ chunks: ['par', 'tial', 'x'], errorAfterChunks: 2, errorMessage: 'overloaded' });
    const stream = await client(chatKey).chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    let text = '';
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);
    expect(text).toBe('partial');
    expect(error).toBeInstanceOf(OpenAI.APIError);
  });
  it('still accounts the tokens when the client disconnects mid-stream', async () => {
    const before = (await apiUsage()).length;
    upstream.script({
      chunks: ['a', 'b', 'c', 'd', 'e'],
      interChunkDelayMs: 80,
      usage: { inputTokens: 5, outputTokens: 5 },
    });
    const abort = new AbortController();
    const res = await fetch(`${app.url}/api/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${chatKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], stream: true }),
      signal: abort.signal,
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    // A stream carries the rate-limit and security headers like any answer.
    expect(res.headers.get('ratelimit-limit')).toMatch(/^\d+$/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const reader = res.body!.getReader();
    await reader.read();
    abort.abort();
    await expect.poll(async () => (await apiUsage()).length, { timeout: 10_000 }).toBe(before + 1);
    expect((await apiUsage()).at(-1)).toMatchObject({ inputTokens: 5, outputTokens: 5 });
  });

  it('stops at the monthly budget with a 429 insufficient_quota (RateLimitError in the client)', async () => {
    const admin = (await app.services.users.actorFor(app.database.db, adminId))!;
    await app.services.budgets.create(
      { ...app.services.systemCtx(), actor: admin },
      {
        scope: 'user',
        userId: staffId,
        limitTokens: 10,
      },
    );
    const over = await client(chatKey)
      .chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(over).toBeInstanceOf(OpenAI.RateLimitError);
    expect((over as InstanceType<typeof OpenAI.RateLimitError>).error).toMatchObject({
      type: 'insufficient_quota',
      code: 'insufficient_quota',
    });
  });
});
