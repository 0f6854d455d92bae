/**
 * The model registry over HTTP: admin routes (admin:models), the caller's usable models, validation as 422
 * naming fields, discovery and the one-token test against fake upstreams, and the OpenAPI contract.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeUpstream, startFakeUpstream } from '../helpers/fake-upstreams';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let compat: FakeUpstream;
let openai: FakeUpstream;
const cookies: Record<'admin' | 'staff' | 'student', string> = { admin: '', staff: '', student: '' };

async function signUp(email: string): Promise<{ cookie: string; id: string }> {
  const { session, user } = await app.services.auth.signUp(app.services.systemCtx(), {
    email,
    password: 'Correct-horse-battery-staple-42',
    name: email.split('@')[0],
  });
  return { cookie: (session.cookie as string).split(';')[0]!, id: user.id };
}

function call(who: keyof typeof cookies | null, path: string, init: RequestInit & { json?: unknown } = {}) {
  const headers = new Headers(init.headers);
  if (who) headers.set('cookie', cookies[who]);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  return app.fetch(path, {
    ...init,
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
}

beforeAll(async () => {
  app = await startTestApp();
  compat = await startFakeUpstream('openai-compatible');
  openai = await startFakeUpstream('openai');
  cookies.admin = (await signUp('admin@district.example')).cookie;
  cookies.staff = (await signUp('teacher@district.example')).cookie;
  const student = await signUp('pupil@district.example');
  cookies.student = student.cookie;
  await app.services.users.update(app.services.systemCtx(), student.id, { roles: ['student'] });
});
afterAll(async () => {
  await compat?.close();
  await openai?.close();
  await app?.close();
});

describe('/api/admin/models', () => {
  let id: string;

  it('creates a model (201) and lists it', async () => {
    const res = await call('admin', '/api/admin/models', {
      method: 'POST',
      json: {
        provider: 'openai-compatible',
        modelId: 'llama3.1:8b',
        displayName: 'Llama 3.1 (local)',
        baseUrl: compat.baseURL,
        inputPricePerMillion: '0',
        outputPricePerMillion: 0,
        capabilities: ['tools'],
      },
    });
    expect(res.status).toBe(201);
    const model = await res.json();
    expect(model).toMatchObject({ modelId: 'llama3.1:8b', outputPricePerMillion: '0.000000', active: true });
    id = model.id;
    const list = await (await call('admin', '/api/admin/models')).json();
    expect(list.models.map((m: { id: string }) => m.id)).toContain(id);
  });

  it('answers bad input with 422 naming the fields', async () => {
    const res = await call('admin', '/api/admin/models', {
      method: 'POST',
      json: { provider: 'openai', modelId: '', inputPricePerMillion: '1.1234567' },
    });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(Object.keys(body.error.details.fields)).toEqual(
      expect.arrayContaining(['modelId', 'inputPricePerMillion']),
    );
    const patch = await call('admin', `/api/admin/models/${id}`, {
      method: 'PATCH',
      json: { unknownField: 1 },
    });
    expect(patch.status).toBe(422);
  });

  it('refuses people without admin:models and anonymous callers', async () => {
    expect((await call('staff', '/api/admin/models')).status).toBe(403);
    expect((await call(null, '/api/admin/models')).status).toBe(401);
    expect((await call('staff', `/api/admin/models/${id}`, { method: 'DELETE' })).status).toBe(403);
  });

  it('updates, grants, and shows the caller only what they may use', async () => {
    const patched = await call('admin', `/api/admin/models/${id}`, {
      method: 'PATCH',
      json: { description: 'Runs on the district server', surfaces: ['chat', 'compare', 'assistants'] },
    });
    expect(patched.status).toBe(200);
    const granted = await call('admin', `/api/admin/models/${id}/grants`, {
      method: 'PUT',
      json: { roles: ['staff'] },
    });
    expect((await granted.json()).grants).toEqual({ roles: ['staff'], userIds: [] });

    const staffModels = await (await call('staff', '/api/models?surface=chat')).json();
    expect(staffModels.models.map((m: { id: string }) => m.id)).toEqual([id]);
    expect(staffModels.models[0]).not.toHaveProperty('baseUrl');
    expect(staffModels.models[0]).not.toHaveProperty('grants');
    const studentModels = await (await call('student', '/api/models')).json();
    expect(studentModels.models).toEqual([]);
    expect((await call('student', '/api/models?surface=compare')).status).toBe(403);
    expect((await call('student', '/api/models?surface=kitchen')).status).toBe(422);
    expect((await call(null, '/api/models')).status).toBe(401);
  });

  it('discovers the provider models and tests a registered one with a one-token call', async () => {
    compat.models = [{ id: 'llama3.1:8b' }, { id: 'qwen2.5:7b' }];
    const q = new URLSearchParams({ provider: 'openai-compatible', baseUrl: compat.baseURL });
    const found = await (await call('admin', `/api/admin/models/discover?${q}`)).json();
    expect(found.models).toEqual([
      { id: 'llama3.1:8b', name: 'llama3.1:8b', added: true },
      { id: 'qwen2.5:7b', name: 'qwen2.5:7b', added: false },
    ]);

    compat.script({ chunks: ['OK'], usage: { inputTokens: 12, outputTokens: 1 } });
    const tested = await (await call('admin', `/api/admin/models/${id}/test`, { method: 'POST' })).json();
    expect(tested).toMatchObject({ ok: true, text: 'OK', usage: { inputTokens: 12, outputTokens: 1 } });
    expect((compat.lastRequest().body as { max_tokens: number }).max_tokens).toBe(1);
  });

  it('tests an unsaved OpenAI model through the Responses API with the key from settings', async () => {
    await app.services.settings.set(app.services.systemCtx(), {
      key: 'openai.base_url',
      value: openai.baseURL,
    });
    await app.services.settings.set(app.services.systemCtx(), {
      key: 'openai.api_key',
      value: 'sk-from-settings',
    });
    openai.script({ chunks: ['OK'], usage: { inputTokens: 8, outputTokens: 1 } });
    const res = await call('admin', '/api/admin/models/test', {
      method: 'POST',
      json: { provider: 'openai', modelId: 'gpt-test' },
    });
    expect(await res.json()).toMatchObject({ ok: true, text: 'OK' });
    const req = openai.lastRequest();
    expect(req.path).toBe('/v1/responses');
    expect(req.headers.authorization).toBe('Bearer sk-from-settings');
    expect(req.body).toMatchObject({ model: 'gpt-test', max_output_tokens: 16 });

    const providers = await (await call('admin', '/api/admin/models/providers')).json();
    expect(providers.providers.find((p: { provider: string }) => p.provider === 'openai')).toMatchObject({
      configured: true,
      missing: [],
    });
    const discoverUnconfigured = await call('admin', '/api/admin/models/discover?provider=azure');
    expect(discoverUnconfigured.status).toBe(409);
    expect((await discoverUnconfigured.json()).error.details.missing).toContain('azure.api_key');
  });

  it('reports an upstream that refuses the listing as 502', async () => {
    const q = new URLSearchParams({ provider: 'openai-compatible', baseUrl: `${compat.url}/nowhere` });
    const res = await call('admin', `/api/admin/models/discover?${q}`);
    expect(res.status).toBe(502);
    expect((await res.json()).error.code).toBe('upstream:provider');
  });

  it('deletes (204) and then answers 404', async () => {
    expect((await call('admin', `/api/admin/models/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call('admin', `/api/admin/models/${id}`)).status).toBe(404);
  });

  it('documents every route in the OpenAPI document', async () => {
    const doc = await (await app.fetch('/api/openapi.json')).json();
    for (const path of [
      '/api/models',
      '/api/admin/models',
      '/api/admin/models/{id}',
      '/api/admin/models/{id}/grants',
      '/api/admin/models/{id}/test',
      '/api/admin/models/test',
      '/api/admin/models/discover',
      '/api/admin/models/providers',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});
