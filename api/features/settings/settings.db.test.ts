import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, settings } from '../../../db/schema/index';
import { createTestServices, type TestServices } from '../../../tests/helpers/test-app';
import { type Ctx, createCtx, systemActor } from '../../lib/ctx';
import { CACHE_TTL_MS, SettingsService } from './settings.service';

let t: TestServices;
let ctx: Ctx;
beforeAll(async () => {
  t = await createTestServices();
  ctx = createCtx({ db: t.database.db, log: t.log, actor: systemActor('cli') });
});
afterAll(() => t?.close());

/** A service of its own (not the app's subscribed one), with its own cache. */
const serviceWith = (extra: Partial<ConstructorParameters<typeof SettingsService>[0]> = {}) =>
  new SettingsService({
    appSecret: t.services.config.APP_SECRET,
    env: {},
    audit: t.services.audit,
    log: t.log,
    ...extra,
  });

describe('settings service', () => {
  it('falls back to the environment, then to the registered default', async () => {
    const now = { t: 0 };
    const service = serviceWith({ env: { OPENAI_API_KEY: 'sk-from-env-123456' }, now: () => now.t });
    expect(await service.get(ctx, 'openai.api_key')).toBe('sk-from-env-123456');
    expect((await service.view(ctx, 'openai.api_key')).source).toBe('environment');
    expect(await service.get(ctx, 'app.name')).toBe('AI Studio');
    expect((await service.view(ctx, 'app.name')).source).toBe('default');
    expect(await service.get(ctx, 'nothing.here')).toBeNull();
  });

  it('stores secrets encrypted, returns them masked, and uses the database over the environment', async () => {
    const view = await t.services.settings.set(ctx, { key: 'openai.api_key', value: 'sk-db-value-abcdef' });
    expect(view).toMatchObject({
      key: 'openai.api_key',
      secret: true,
      source: 'database',
      value: 'sk-••••••••cdef',
    });
    const [row] = await t.database.db.select().from(settings).where(eq(settings.key, 'openai.api_key'));
    expect(row!.value).not.toContain('sk-db-value');
    expect(row!.value.startsWith('v1:')).toBe(true);
    expect(await t.services.settings.get(ctx, 'openai.api_key')).toBe('sk-db-value-abcdef');
    const listed = await t.services.settings.list(ctx);
    expect(JSON.stringify(listed)).not.toContain('sk-db-value');
  });

  it('writes an audit event for each change, the value before → after', async () => {
    await t.services.settings.set(ctx, { key: 'audit.retention_days', value: '90' });
    await t.services.settings.set(ctx, { key: 'audit.retention_days', value: '30' });
    await t.services.settings.unset(ctx, 'audit.retention_days');
    const events = await t.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.targetId, 'audit.retention_days'))
      .orderBy(auditEvents.id);
    expect(events.map((e) => [e.action, e.details])).toEqual([
      ['settings.update', { 'audit.retention_days': { from: '365', to: '90' } }],
      ['settings.update', { 'audit.retention_days': { from: '90', to: '30' } }],
      ['settings.delete', { 'audit.retention_days': { from: '30', to: '365' } }],
    ]);
    expect(events[0]).toMatchObject({ actorType: 'cli', targetType: 'setting' });
  });

  it('never writes a secret value to the audit log, only that one was set and changed', async () => {
    await t.services.settings.set(ctx, { key: 'azure.api_key', value: 'az-first-secret-qxz' });
    await t.services.settings.set(ctx, { key: 'azure.api_key', value: 'az-second-secret-wvj' });
    await t.services.settings.unset(ctx, 'azure.api_key');
    const events = await t.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.targetId, 'azure.api_key'))
      .orderBy(auditEvents.id);
    expect(events.map((e) => e.details)).toEqual([
      { 'azure.api_key': { from: null, to: 'a new secret (not shown)' } },
      { 'azure.api_key': { from: 'a secret (not shown)', to: 'a new secret (not shown)' } },
      { 'azure.api_key': { from: 'a secret (not shown)', to: null } },
    ]);
    const text = JSON.stringify(events);
    // Distinctive fragments only: timestamps and request ids are in the rows too.
    for (const fragment of ['az-first', 'az-second', 'secret-qxz', 'secret-wvj', 'qxz', 'wvj'])
      expect(text).not.toContain(fragment);
  });

  it('caches reads for five minutes and invalidates on its own writes', async () => {
    const now = { t: 1_000 };
    const service = serviceWith({ now: () => now.t });
    await service.set(ctx, { key: 'app.name', value: 'Springfield AI' });
    expect(await service.get(ctx, 'app.name')).toBe('Springfield AI');
    // Another writer changes the row behind this instance's back (no notification).
    await t.database.db.update(settings).set({ value: 'Shelbyville AI' }).where(eq(settings.key, 'app.name'));
    expect(await service.get(ctx, 'app.name')).toBe('Springfield AI');
    now.t += CACHE_TTL_MS + 1;
    expect(await service.get(ctx, 'app.name')).toBe('Shelbyville AI');
    await service.set(ctx, { key: 'app.name', value: 'Capital City AI' });
    expect(await service.get(ctx, 'app.name')).toBe('Capital City AI');
  });

  it('does not keep a read that was in flight while the setting was written', async () => {
    const service = serviceWith();
    await service.set(ctx, { key: 'app.name', value: 'Ogdenville AI' });
    service.invalidate();
    // The first read loads the old value, then is held until the write below has landed.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    type Load = (c: Ctx, key: string) => Promise<unknown>;
    const target = service as unknown as { load: Load };
    const load = target.load.bind(service);
    target.load = async (c, key) => {
      target.load = load; // only this first read is held
      const old = await load(c, key);
      await held;
      return old;
    };
    const inFlight = service.get(ctx, 'app.name');
    await service.set(ctx, { key: 'app.name', value: 'North Haverbrook AI' });
    release();
    expect(await inFlight).toBe('Ogdenville AI');
    expect(await service.get(ctx, 'app.name')).toBe('North Haverbrook AI');
  });

  it('hears writes made by another process through NOTIFY', async () => {
    const other = serviceWith();
    expect(await t.services.settings.get(ctx, 'app.name')).toBeTruthy(); // warm the subscribed cache
    await other.set(ctx, { key: 'app.name', value: 'Notified AI' });
    await expect.poll(() => t.services.settings.get(ctx, 'app.name'), { timeout: 3_000 }).toBe('Notified AI');
  });

  it('rejects malformed keys and oversized values with the field named', async () => {
    await expect(t.services.settings.set(ctx, { key: 'Bad Key', value: 'x' })).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ['key'] })],
    });
    await expect(
      t.services.settings.set(ctx, { key: 'app.name', value: 'x'.repeat(10_001) }),
    ).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ['value'] })],
    });
    await expect(t.services.settings.view(ctx, 'no.such_setting')).rejects.toMatchObject({ status: 404 });
  });
});
