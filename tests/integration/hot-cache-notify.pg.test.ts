/**
 * On Postgres, a change written by any process (the CLI, another instance) clears every process's hot
 * caches through NOTIFY cache_changed, sent by the tables' row triggers on commit (only for changed rows).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCtx, systemActor } from '../../api/lib/ctx';
import { CACHE_CHANNEL } from '../../api/lib/hot-cache';
import { createServices } from '../../api/services';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const capabilitiesOf = async (cookie: string) => {
  const res = await app.fetch('/api/auth/session', { headers: { cookie } });
  return res.status === 200 ? ((await res.json()) as { capabilities: string[] }).capabilities : res.status;
};

describe('hot caches across processes (Postgres NOTIFY)', () => {
  it('a change made by another process reaches this one without waiting for the TTL', async () => {
    // A second service container on the same database stands in for the CLI or another instance: its
    // audited change clears only its own caches, so this process learns of it from the database.
    const other = createServices({ config: app.services.config, database: app.database, log: app.log });
    const ctx = createCtx({ db: app.database.db, log: app.log, actor: systemActor('cli') });
    await app.services.users.create(ctx, { email: 'first@lakeside.example' }); // the first is administrator
    const staff = await app.services.users.create(ctx, {
      email: 'late@lakeside.example',
      roles: ['staff'],
    });
    const cookie = `aistudio_session=${(await app.services.auth.createSession(ctx, staff.id)).token}`;
    expect(await capabilitiesOf(cookie)).not.toContain('admin:users');
    await other.users.update(ctx, staff.id, { roles: ['administrator'] });
    await expect
      .poll(() => capabilitiesOf(cookie), { timeout: 3_000, interval: 50 })
      .toContain('admin:users');
    await other.apiKeys.close();
    await other.rateLimiter.close();
  });

  it('a key revoked by another process is refused here without waiting for the TTL', async () => {
    const other = createServices({ config: app.services.config, database: app.database, log: app.log });
    const ctx = createCtx({ db: app.database.db, log: app.log, actor: systemActor('cli') });
    await app.services.users.create(ctx, { email: 'keyed@lakeside.example', roles: ['staff'] });
    const { key, secret } = await app.services.apiKeys.createForEmail(ctx, 'keyed@lakeside.example', {
      name: 'elsewhere',
      scopes: ['*'],
    });
    const status = async () =>
      (await app.fetch('/api/v1/me', { headers: { authorization: `Bearer ${secret}` } })).status;
    expect(await status()).toBe(200);
    expect(await status()).toBe(200); // cached in this process
    await other.apiKeys.adminRevoke(ctx, key.id);
    await expect.poll(status, { timeout: 3_000, interval: 50 }).toBe(401);
    await other.apiKeys.close();
    await other.rateLimiter.close();
  });

  it('a person renamed by another process shows here (cached /api/v1/me and session views)', async () => {
    const other = createServices({ config: app.services.config, database: app.database, log: app.log });
    const ctx = createCtx({ db: app.database.db, log: app.log, actor: systemActor('cli') });
    const person = await app.services.users.create(ctx, {
      email: 'renamed@lakeside.example',
      name: 'Before',
      roles: ['staff'],
    });
    const { secret } = await app.services.apiKeys.createForEmail(ctx, person.email, {
      name: 'view',
      scopes: ['*'],
    });
    const name = async () =>
      (
        (await (
          await app.fetch('/api/v1/me', { headers: { authorization: `Bearer ${secret}` } })
        ).json()) as { name: string }
      ).name;
    expect(await name()).toBe('Before');
    expect(await name()).toBe('Before'); // cached in this process
    await other.users.update(ctx, person.id, { name: 'After' });
    await expect.poll(name, { timeout: 3_000, interval: 50 }).toBe('After');
    await other.apiKeys.close();
    await other.rateLimiter.close();
  });
});

describe('cache triggers fire only for changed rows', () => {
  it('a statement that changes nothing sends no notification; a real change sends one', async () => {
    const seen: string[] = [];
    const unlisten = await app.database.listen!(CACHE_CHANNEL, (table) => seen.push(table));
    try {
      const { db } = app.database;
      await db.execute(sql`update users set status = status, password_hash = password_hash`);
      await db.execute(sql`delete from sessions where false`);
      await db.execute(sql`update roles set description = description`);
      await db.execute(sql`update api_keys set last_used_at = now()`);
      await db.execute(sql`update role_capabilities set capability = capability`);
      // A real change, committed after the others: when its notification arrives, theirs would have too.
      await db.execute(sql`update roles set description = description || '.' where name = 'student'`);
      await expect.poll(() => seen, { timeout: 3_000, interval: 20 }).toContain('roles');
      expect(seen).toEqual(['roles']);
    } finally {
      await unlisten();
    }
  });
});
