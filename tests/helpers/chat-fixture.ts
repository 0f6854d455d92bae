/**
 * Chat over real HTTP: the app on a real port, a fake OpenAI-compatible upstream, a priced model pointing
 * at it, and signed-in people (cookies). Plus a reader for the AI SDK UI message stream (SSE) that records
 * when each chunk arrived. Used by the chat integration tests and the chat benchmark.
 */
import type { UIMessageChunk } from 'ai';
import { type FakeUpstream, startFakeUpstream } from './fake-upstreams';
import { startTestApp, type TestApp } from './test-app';

export const PRICES = {
  inputPricePerMillion: '2.5',
  outputPricePerMillion: '10',
  cachedInputPricePerMillion: '1.25',
} as const;

export interface Person {
  id: string;
  cookie: string;
}

export interface ChatFixture {
  app: TestApp;
  fake: FakeUpstream;
  /** ai_models.id of the priced fake model (open to everyone with chat:use). */
  modelId: string;
  admin: Person;
  staff: Person;
  signUp(email: string, roles?: string[]): Promise<Person>;
  /** fetch with a person's cookie; `json` becomes the body. */
  call(who: Person | null, path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

export async function startChatFixture(options: { app?: TestApp } = {}): Promise<ChatFixture> {
  const app = options.app ?? (await startTestApp());
  const fake = await startFakeUpstream('openai-compatible');
  const sys = app.services.systemCtx();
  const signUp = async (email: string, roles?: string[]): Promise<Person> => {
    const { session, user } = await app.services.auth.signUp(sys, {
      email,
      password: 'Correct-horse-battery-staple-42',
      name: email.split('@')[0],
    });
    if (roles) await app.services.users.update(sys, user.id, { roles });
    return { id: user.id, cookie: session.cookie.split(';')[0]! };
  };
  const admin = await signUp('admin@district.example');
  const staff = await signUp('teacher@district.example');
  const model = await app.services.models.create(sys, {
    provider: 'openai-compatible',
    modelId: 'fake-large',
    displayName: 'Fake Large',
    baseUrl: fake.baseURL,
    ...PRICES,
  });
  const call = (who: Person | null, path: string, init: RequestInit & { json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (who) headers.set('cookie', who.cookie);
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    return app.fetch(path, {
      ...init,
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    });
  };
  return {
    app,
    fake,
    modelId: model.id,
    admin,
    staff,
    signUp,
    call,
    async close() {
      await fake.close();
      if (!options.app) await app.close();
    },
  };
}

/** A useChat-style body for sending `text`. */
export function sendBody(text: string, extra: Record<string, unknown> = {}) {
  return {
    id: crypto.randomUUID(),
    messages: [{ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] }],
    trigger: 'submit-message',
    ...extra,
  };
}

export interface TimedChunk {
  at: number;
  chunk: UIMessageChunk;
}

/** Reads SSE `data:` frames as UI message chunks, with arrival times (performance.now()). */
export async function* uiChunks(res: Response): AsyncGenerator<TimedChunk> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += value;
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      const data = frame
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      if (!data || data === '[DONE]') continue;
      yield { at: performance.now(), chunk: JSON.parse(data) as UIMessageChunk };
    }
  }
}

export async function readAll(res: Response): Promise<TimedChunk[]> {
  const out: TimedChunk[] = [];
  for await (const c of uiChunks(res)) out.push(c);
  return out;
}

/** The text of the text-delta chunks. */
export const textOf = (chunks: TimedChunk[]) =>
  chunks.map((c) => (c.chunk.type === 'text-delta' ? c.chunk.delta : '')).join('');

/**
 * Polls until `check` returns a value (not undefined) or the timeout passes. A failing check is retried
 * too: the embedded database's socket can refuse a query that overlaps another client's (the app saving
 * the answer at that moment), which says nothing about the condition.
 */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let lastError: unknown;
    const v = await check().catch((err: unknown) => {
      lastError = err;
      return undefined;
    });
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw lastError ?? new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
