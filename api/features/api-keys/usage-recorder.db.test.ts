/**
 * The request log's batched writes over real SQL: every buffered request lands as its own row, in order,
 * with its time to the millisecond; batches split at `maxBatch`; last_used_at moves to the newest request
 * (at most once a minute per key, so the requests here are a minute apart). The log has no foreign key
 * (migration 0023): deleting a key, or its owner, deletes its rows through a statement trigger.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, users } from '../../../db/schema/index';
import { createTestServices, type TestServices } from '../../../tests/helpers/test-app';
import { listUsage } from './api-keys.repo';
import { UsageRecorder } from './usage-recorder';

let t: TestServices;
let keyId: string;
beforeAll(async () => {
  t = await createTestServices({ jobs: 'none' });
  const ctx = t.services.systemCtx();
  const user = await t.services.users.create(ctx, { email: 'log@district.example', roles: ['staff'] });
  const { key } = await t.services.apiKeys.createForEmail(ctx, user.email, { name: 'log', scopes: ['*'] });
  keyId = key.id;
});
afterAll(() => t?.close());

describe('the API-key request log', () => {
  it('writes each buffered request as a row with its route, status, latency and time', async () => {
    const recorder = new UsageRecorder({ db: t.database.db, log: t.log, maxBatch: 2, intervalMs: 60_000 });
    const base = Date.parse('2026-12-04T10:00:00.000Z');
    const statuses = [200, 404, 429, 200, 500];
    for (const [i, status] of statuses.entries())
      recorder.record({
        apiKeyId: keyId,
        endpoint: i % 2 ? '/api/v1/models' : '/api/v1/me',
        method: i === 4 ? 'POST' : 'GET',
        status,
        latencyMs: 10 + i,
        at: base + i * 61_234 + 7,
      });
    await recorder.close();
    const rows = (await listUsage(t.database.db, { keyId, limit: 10 })).reverse();
    expect(rows.map((r) => [r.endpoint, r.method, r.status, r.latencyMs, r.createdAt.toISOString()])).toEqual(
      statuses.map((status, i) => [
        i % 2 ? '/api/v1/models' : '/api/v1/me',
        i === 4 ? 'POST' : 'GET',
        status,
        10 + i,
        new Date(base + i * 61_234 + 7).toISOString(),
      ]),
    );
    const [key] = await t.database.db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
    expect(key?.lastUsedAt?.toISOString()).toBe(new Date(base + 4 * 61_234 + 7).toISOString());
  });

  it('stops taking rows once closed', async () => {
    const recorder = new UsageRecorder({ db: t.database.db, log: t.log });
    await recorder.close();
    recorder.record({ apiKeyId: keyId, endpoint: '/api/v1/me', method: 'GET', status: 200, latencyMs: 1 });
    await recorder.flush();
    expect(await listUsage(t.database.db, { keyId, limit: 10 })).toHaveLength(5);
  });

  it("is deleted with its key, also when the key goes with its owner, and only that key's", async () => {
    const ctx = t.services.systemCtx();
    const keyOf = async (email: string) => {
      const user = await t.services.users.create(ctx, { email, roles: ['staff'] });
      const { key } = await t.services.apiKeys.createForEmail(ctx, email, { name: 'k', scopes: ['*'] });
      return { userId: user.id, keyId: key.id };
    };
    const [gone, kept, direct] = await Promise.all([
      keyOf('gone@district.example'),
      keyOf('kept@district.example'),
      keyOf('direct@district.example'),
    ]);
    const recorder = new UsageRecorder({ db: t.database.db, log: t.log });
    for (const { keyId: id } of [gone, kept, direct])
      for (let i = 0; i < 3; i++)
        recorder.record({ apiKeyId: id, endpoint: '/api/v1/me', method: 'GET', status: 200, latencyMs: 1 });
    await recorder.close();
    const logged = async (id: string) => (await listUsage(t.database.db, { keyId: id, limit: 10 })).length;
    expect([await logged(gone.keyId), await logged(kept.keyId), await logged(direct.keyId)]).toEqual([
      3, 3, 3,
    ]);

    await t.database.db.delete(users).where(eq(users.id, gone.userId));
    await t.database.db.delete(apiKeys).where(eq(apiKeys.id, direct.keyId));
    expect([await logged(gone.keyId), await logged(kept.keyId), await logged(direct.keyId)]).toEqual([
      0, 3, 0,
    ]);
  });

  it('moves last_used_at once a minute per key without asking the database in between', async () => {
    const ctx = t.services.systemCtx();
    await t.services.users.create(ctx, { email: 'busy@district.example', roles: ['staff'] });
    const { key } = await t.services.apiKeys.createForEmail(ctx, 'busy@district.example', {
      name: 'busy',
      scopes: ['*'],
    });
    const recorder = new UsageRecorder({ db: t.database.db, log: t.log, intervalMs: 60_000 });
    const lastUsed = async () =>
      (await t.database.db.select().from(apiKeys).where(eq(apiKeys.id, key.id)))[0]?.lastUsedAt?.getTime();
    const request = async (at: number) => {
      recorder.record({
        apiKeyId: key.id,
        endpoint: '/api/v1/me',
        method: 'GET',
        status: 200,
        latencyMs: 1,
        at,
      });
      await recorder.flush();
    };
    const base = Date.parse('2026-12-04T12:00:00.000Z');
    await request(base);
    expect(await lastUsed()).toBe(base);
    // Cleared behind the recorder's back: a request 10 s later sends nothing, so it stays cleared.
    await t.database.db.update(apiKeys).set({ lastUsedAt: null }).where(eq(apiKeys.id, key.id));
    await request(base + 10_000);
    expect(await lastUsed()).toBeUndefined();
    await request(base + 61_000);
    expect(await lastUsed()).toBe(base + 61_000);
    await recorder.close();
    expect(await listUsage(t.database.db, { keyId: key.id, limit: 10 })).toHaveLength(3);
  });
});
