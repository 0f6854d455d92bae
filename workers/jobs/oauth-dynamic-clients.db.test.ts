import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, oauthClients, oauthGrants } from '../../db/schema/index';
import { createTestServices, type TestServices } from '../../tests/helpers/test-app';
import { OAUTH_DYNAMIC_CLIENTS } from './oauth-dynamic-clients.job';

let t: TestServices;
beforeAll(async () => {
  t = await createTestServices({ jobs: 'work' });
});
afterAll(() => t?.close());

async function runJob(data: { retentionDays?: number } = {}) {
  const id = await t.services.queue.send(OAUTH_DYNAMIC_CLIENTS, data);
  await expect
    .poll(async () => (await t.services.queue.status(OAUTH_DYNAMIC_CLIENTS, id!))?.state, {
      timeout: 15_000,
      interval: 250,
    })
    .toBe('completed');
  return (await t.services.queue.status(OAUTH_DYNAMIC_CLIENTS, id!))?.output;
}

describe('deleting unused dynamically registered OAuth clients', () => {
  it('removes dynamic clients unused for the set number of days (default 30), keeps used, granted and admin ones', async () => {
    const system = t.services.systemCtx();
    const register = async (name: string) =>
      (
        await t.services.oauthClients.dynamic.register(system, {
          client_name: name,
          redirect_uris: ['http://127.0.0.1/callback'],
        })
      ).client_id;
    const age = (id: string, registered: number, used: number | null) =>
      t.database.db
        .update(oauthClients)
        .set({
          createdAt: sql`now() - make_interval(days => ${registered})`,
          lastUsedAt: used === null ? null : sql`now() - make_interval(days => ${used})`,
        })
        .where(eq(oauthClients.id, id));
    const neverUsed = await register('never used');
    const usedLongAgo = await register('used 35 days ago');
    const usedLately = await register('used 10 days ago');
    const granted = await register('never used, but connected');
    const fresh = await register('registered today');
    const { client: admin } = await t.services.oauthClients.create(system, {
      name: 'Gradebook',
      redirectUris: ['https://gradebook.example/cb'],
      scopes: ['openid'],
    });
    await age(neverUsed, 40, null);
    await age(usedLongAgo, 60, 35);
    await age(usedLately, 60, 10);
    await age(granted, 40, null);
    await age(admin.id, 400, null);
    const person = await t.services.users.create(system, {
      email: 'agent-owner@lakeside.example',
      password: 'Correct-horse-battery-staple-42',
    });
    await t.database.db.insert(oauthGrants).values({
      clientId: granted,
      userId: person.id,
      scopes: ['mcp:read'],
      audience: 'http://localhost',
      expiresAt: new Date(Date.now() + 24 * 3600_000),
    });
    const all = [neverUsed, usedLongAgo, usedLately, granted, fresh, admin.id];
    const remaining = async () =>
      (
        await t.database.db
          .select({ id: oauthClients.id })
          .from(oauthClients)
          .where(inArray(oauthClients.id, all))
      )
        .map((r) => r.id)
        .sort();

    expect(await runJob()).toEqual({ deleted: 2, retentionDays: 30 });
    expect(await remaining()).toEqual([usedLately, granted, fresh, admin.id].sort());
    const audit = await t.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'oauth_clients.expire_dynamic'));
    expect(audit).toHaveLength(1);
    expect((audit[0]!.details as { ids: string[] }).ids.sort()).toEqual([neverUsed, usedLongAgo].sort());

    // The setting decides: at 7 days the client used 10 days ago goes as well.
    await t.services.oauthClients.dynamic.setUnusedDays(system, 7);
    expect(await runJob()).toEqual({ deleted: 1, retentionDays: 7 });
    expect(await remaining()).toEqual([granted, fresh, admin.id].sort());

    // Once its grant is revoked, the connected-but-unused client goes too; never below a day.
    await t.database.db
      .update(oauthGrants)
      .set({ revokedAt: new Date() })
      .where(and(eq(oauthGrants.clientId, granted)));
    expect(await runJob({ retentionDays: 0 })).toEqual({ deleted: 1, retentionDays: 1 });
    expect(await remaining()).toEqual([fresh, admin.id].sort());
  });

  it('refuses a period that is not a whole number of days from 1 to 3650, naming the field', async () => {
    for (const days of [0, 2.5, 4000])
      await expect(
        t.services.oauthClients.dynamic.setUnusedDays(t.services.systemCtx(), days),
      ).rejects.toMatchObject({
        status: 422,
        details: { fields: { unusedDays: expect.any(String) } },
      });
  });
});
