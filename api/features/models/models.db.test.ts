/**
 * The model registry over a real database, with providers answered by fake upstreams over HTTP:
 * admin CRUD + audit, validation naming fields, visibility by surface capability and grants, discovery,
 * the one-token test, and provider keys changed in settings taking effect without a restart.
 */
import { streamText } from 'ai';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../../db/schema/index';
import { type FakeUpstream, startFakeUpstream } from '../../../tests/helpers/fake-upstreams';
import { createTestServices, type TestServices } from '../../../tests/helpers/test-app';
import { type Actor, type Ctx, createCtx, systemActor } from '../../lib/ctx';
import { AppError } from '../../lib/errors';

let t: TestServices;
let google: FakeUpstream;
let compat: FakeUpstream;
const as = (actor: Actor): Ctx => createCtx({ db: t.database.db, log: t.log, actor });
const admin = () => as(systemActor('cli'));

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

async function person(email: string, roles: string[]): Promise<Actor> {
  const user = await t.services.users.create(admin(), { email, name: email.split('@')[0], roles });
  const actor = await t.services.users.actorFor(t.database.db, user.id);
  return actor!;
}

let student: Actor;
let staff: Actor;
let otherStudent: Actor;

beforeAll(async () => {
  t = await createTestServices();
  google = await startFakeUpstream('google');
  compat = await startFakeUpstream('openai-compatible');
  // The first account becomes administrator; make it so, then the people under test.
  await person('first-admin@district.example', ['administrator']);
  student = await person('student@district.example', ['student']);
  otherStudent = await person('student2@district.example', ['student']);
  staff = await person('teacher@district.example', ['staff']);
});
afterAll(async () => {
  await google?.close();
  await compat?.close();
  await t?.close();
});

describe('admin CRUD', () => {
  it('creates, lists, updates and deletes with an audit trail', async () => {
    const created = await t.services.models.create(admin(), {
      provider: 'openai',
      modelId: 'gpt-crud',
      inputPricePerMillion: 2.5,
      outputPricePerMillion: '10',
      cachedInputPricePerMillion: '1.25',
      capabilities: ['vision', 'tools'],
      contextWindow: 128_000,
    });
    expect(created).toMatchObject({
      provider: 'openai',
      modelId: 'gpt-crud',
      displayName: 'gpt-crud',
      inputPricePerMillion: '2.500000',
      outputPricePerMillion: '10.000000',
      cachedInputPricePerMillion: '1.250000',
      surfaces: ['chat', 'compare'],
      active: true,
      grants: { roles: [], userIds: [] },
    });
    const updated = await t.services.models.update(admin(), created.id, {
      displayName: 'GPT Crud',
      surfaces: ['chat'],
      outputPricePerMillion: null,
    });
    expect(updated).toMatchObject({
      displayName: 'GPT Crud',
      surfaces: ['chat'],
      outputPricePerMillion: null,
    });
    expect((await t.services.models.list(admin())).map((m) => m.id)).toContain(created.id);

    await t.services.models.remove(admin(), created.id);
    expect((await failure(t.services.models.get(admin(), created.id))).status).toBe(404);
    const trail = await t.database.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(and(eq(auditEvents.targetType, 'model'), eq(auditEvents.targetId, created.id)));
    expect(trail.map((e) => e.action)).toEqual(['models.create', 'models.update', 'models.delete']);
  });

  it('refuses a duplicate provider + model id with 409 naming the field', async () => {
    await t.services.models.create(admin(), { provider: 'google', modelId: 'gemini-dup' });
    const err = await failure(
      t.services.models.create(admin(), { provider: 'google', modelId: 'gemini-dup' }),
    );
    expect(err.status).toBe(409);
    expect(err.details).toMatchObject({ fields: { modelId: expect.any(String) } });
  });

  it.each([
    [{ provider: 'openai', modelId: 'x', inputPricePerMillion: '0.0000001' }, 'inputPricePerMillion'],
    [{ provider: 'openai', modelId: 'x', inputPricePerMillion: -1 }, 'inputPricePerMillion'],
    [{ provider: 'nope', modelId: 'x' }, 'provider'],
    [{ provider: 'openai', modelId: '' }, 'modelId'],
    [{ provider: 'openai', modelId: 'x', baseUrl: 'http://localhost:11434/v1' }, 'baseUrl'],
    [{ provider: 'openai', modelId: 'x', surfaces: ['kitchen'] }, 'surfaces.0'],
    [{ provider: 'openai', modelId: 'x', capabilities: ['telepathy'] }, 'capabilities.0'],
    [{ provider: 'openai', modelId: 'x', contextWindow: 1.5 }, 'contextWindow'],
  ])('rejects %j with 422 naming %s', async (input, field) => {
    const err = await failure(t.services.models.create(admin(), input as never));
    expect(err.status).toBe(422);
    expect(Object.keys((err.details as { fields: object }).fields)).toContain(field);
  });

  it('is for admin:models holders only', async () => {
    expect((await failure(t.services.models.list(as(staff)))).status).toBe(403);
    expect(
      (await failure(t.services.models.create(as(staff), { provider: 'openai', modelId: 'y' }))).status,
    ).toBe(403);
    expect((await failure(t.services.models.list(createCtx({ db: t.database.db, log: t.log })))).status).toBe(
      401,
    );
  });
});

describe('who sees which model', () => {
  let open: string;
  let staffOnly: string;
  let forOneStudent: string;
  let inactive: string;
  let compareOnly: string;

  beforeAll(async () => {
    const make = async (modelId: string, extra: Record<string, unknown> = {}) =>
      (await t.services.models.create(admin(), { provider: 'openai-compatible', modelId, ...extra })).id;
    open = await make('open-model', { displayName: 'A open' });
    staffOnly = await make('staff-model', { displayName: 'B staff' });
    forOneStudent = await make('one-student-model', { displayName: 'C one student' });
    inactive = await make('inactive-model', { active: false });
    compareOnly = await make('compare-model', { surfaces: ['compare'] });
    await t.services.models.setGrants(admin(), staffOnly, { roles: ['staff'] });
    await t.services.models.setGrants(admin(), forOneStudent, { userIds: [student.id!] });
  });

  const ids = async (actor: Actor, surface: 'chat' | 'compare' = 'chat') =>
    (await t.services.models.listUsable(as(actor), surface)).map((m) => m.id);

  it('shows a student the open models and the ones granted to them, never inactive or other surfaces', async () => {
    const mine = await ids(student);
    expect(mine).toContain(open);
    expect(mine).toContain(forOneStudent);
    expect(mine).not.toContain(staffOnly);
    expect(mine).not.toContain(inactive);
    expect(mine).not.toContain(compareOnly);
    expect(await ids(otherStudent)).not.toContain(forOneStudent);
  });

  it('shows staff the staff-granted model, and compare models on the compare surface', async () => {
    expect(await ids(staff)).toEqual(expect.arrayContaining([open, staffOnly]));
    expect(await ids(staff)).not.toContain(forOneStudent);
    expect(await ids(staff, 'compare')).toContain(compareOnly);
  });

  it('refuses a surface whose capability the actor lacks (students cannot compare)', async () => {
    expect((await failure(t.services.models.listUsable(as(student), 'compare'))).status).toBe(403);
  });

  it('getUsable answers 404 for models the actor may not use, without revealing them', async () => {
    expect((await t.services.models.getUsable(as(student), forOneStudent, 'chat')).id).toBe(forOneStudent);
    for (const [actor, id] of [
      [otherStudent, forOneStudent],
      [student, staffOnly],
      [student, inactive],
      [staff, compareOnly],
      [staff, 'not-a-uuid'],
    ] as const) {
      const err = await failure(t.services.models.getUsable(as(actor), id, 'chat'));
      expect(err.code).toBe('not_found:models');
    }
  });

  it('lists grants in the admin view and reopens a model when they are cleared', async () => {
    const view = await t.services.models.get(admin(), staffOnly);
    expect(view.grants).toEqual({ roles: ['staff'], userIds: [] });
    await t.services.models.setGrants(admin(), staffOnly, { roles: [] });
    expect(await ids(student)).toContain(staffOnly);
  });
});

describe('providers through the registry', () => {
  it('streams from a registered openai-compatible model at its own base URL', async () => {
    compat.reset();
    compat.script({ chunks: ['Hi', ' class'], usage: { inputTokens: 9, outputTokens: 2 } });
    const created = await t.services.models.create(admin(), {
      provider: 'openai-compatible',
      modelId: 'llama-local',
      baseUrl: `${compat.baseURL}/`,
    });
    expect(created.baseUrl).toBe(compat.baseURL);
    const row = await t.services.models.getUsable(as(student), created.id, 'chat');
    const result = streamText({
      model: await t.services.models.languageModel(as(student), row),
      prompt: 'Hello',
    });
    expect(await result.text).toBe('Hi class');
    expect((await result.usage).outputTokens).toBe(2);
    const body = compat.lastRequest().body as { model: string; stream_options?: { include_usage: boolean } };
    expect(body.model).toBe('llama-local');
    expect(body.stream_options?.include_usage).toBe(true);
  });

  it('discovers the provider models and marks those already added', async () => {
    compat.models = [{ id: 'llama-local' }, { id: 'mistral-local' }];
    const found = await t.services.models.discover(admin(), {
      provider: 'openai-compatible',
      baseUrl: compat.baseURL,
    });
    expect(found).toEqual([
      { id: 'llama-local', name: 'llama-local', added: true },
      { id: 'mistral-local', name: 'mistral-local', added: false },
    ]);
  });

  it('refuses a custom base URL for providers whose key is provider-wide (no key exfiltration)', async () => {
    for (const call of [
      t.services.models.discover(admin(), { provider: 'openai', baseUrl: 'http://attacker.example/v1' }),
      t.services.models.testRef(admin(), {
        provider: 'google',
        modelId: 'x',
        baseUrl: 'http://attacker.example',
      }),
    ]) {
      const err = await failure(call);
      expect(err.status).toBe(422);
      expect(Object.keys((err.details as { fields: object }).fields)).toEqual(['baseUrl']);
    }
  });

  it('reports an unconfigured provider by the settings it needs', async () => {
    const status = await t.services.models.providerStatus(admin());
    expect(status.find((s) => s.provider === 'google')).toMatchObject({
      configured: false,
      missing: ['google.api_key'],
    });
    const result = await t.services.models.testRef(admin(), { provider: 'google', modelId: 'gemini-x' });
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.error.message).toContain('google.api_key');
  });

  it('uses a key changed in settings on the very next call, without a restart', async () => {
    await t.services.settings.set(admin(), { key: 'google.base_url', value: google.baseURL });
    await t.services.settings.set(admin(), { key: 'google.api_key', value: 'first-key' });
    const model = await t.services.models.create(admin(), { provider: 'google', modelId: 'fake-large' });
    google.script({ chunks: ['OK'], usage: { inputTokens: 5, outputTokens: 1 } });

    const first = await t.services.models.test(admin(), model.id);
    expect(first).toMatchObject({ ok: true, text: 'OK', usage: { inputTokens: 5, outputTokens: 1 } });
    expect(google.lastRequest().headers['x-goog-api-key']).toBe('first-key');
    expect(
      (google.lastRequest().body as { generationConfig: { maxOutputTokens: number } }).generationConfig,
    ).toMatchObject({ maxOutputTokens: 1 });

    await t.services.settings.set(admin(), { key: 'google.api_key', value: 'second-key' });
    await t.services.models.test(admin(), model.id);
    expect(google.lastRequest().headers['x-goog-api-key']).toBe('second-key');
    expect(
      (await t.services.models.providerStatus(admin())).find((s) => s.provider === 'google')?.configured,
    ).toBe(true);
  });

  it('returns the provider error from the test button instead of throwing', async () => {
    const model = (await t.services.models.list(admin())).find(
      (m) => m.provider === 'google' && m.modelId === 'fake-large',
    )!;
    google.enqueue({ chunks: [], fail: { status: 429, message: 'quota exhausted', retryAfterSeconds: 5 } });
    const result = await t.services.models.test(admin(), model.id);
    expect(result).toMatchObject({ ok: false, error: { status: 429 } });
    expect(result.ok === false && result.error.message).toContain('quota exhausted');
  });
});
