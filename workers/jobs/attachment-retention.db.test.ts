import { existsSync } from 'node:fs';
import path from 'node:path';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatAttachments, users } from '../../db/schema/index';
import { createTestServices, type TestServices } from '../../tests/helpers/test-app';
import { ATTACHMENT_RETENTION } from './attachment-retention.job';

let t: TestServices;
beforeAll(async () => {
  t = await createTestServices({ jobs: 'work' });
});
afterAll(() => t?.close());

async function runJob(data: { retentionDays?: number } = {}) {
  const id = await t.services.queue.send(ATTACHMENT_RETENTION, data);
  await expect
    .poll(async () => (await t.services.queue.status(ATTACHMENT_RETENTION, id!))?.state, {
      timeout: 15_000,
      interval: 250,
    })
    .toBe('completed');
  return (await t.services.queue.status(ATTACHMENT_RETENTION, id!))?.output;
}

describe('attachment retention job', () => {
  it('deletes files and rows older than attachments.retention_days (default 30), keeps newer ones', async () => {
    const system = t.services.systemCtx();
    const user = await t.services.users.create(system, {
      email: 'owner@lakeside.example',
      password: 'Correct-horse-battery-staple-42',
    });
    const ctx = { ...system, actor: { ...system.actor, type: 'user' as const, id: user.id } };
    const put = (name: string) =>
      t.services.attachments.upload(ctx, {
        filename: name,
        bytes: new TextEncoder().encode(`text of ${name}`),
      });
    const [ancient, month, fresh] = [
      await put('ancient.txt'),
      await put('month.txt'),
      await put('fresh.txt'),
    ];
    const age = async (id: string, days: number) =>
      t.database.db
        .update(chatAttachments)
        .set({ createdAt: sql`now() - make_interval(days => ${days})` })
        .where(eq(chatAttachments.id, id));
    await age(ancient.id, 40);
    await age(month.id, 31);
    const fileOf = (id: string) => path.join(t.services.config.DATA_DIR, 'uploads', user.id, `${id}.txt`);
    const remaining = async () =>
      (
        await t.database.db
          .select({ id: chatAttachments.id })
          .from(chatAttachments)
          .where(inArray(chatAttachments.id, [ancient.id, month.id, fresh.id]))
      ).map((r) => r.id);

    // The setting decides: at 35 days only the 40-day-old one goes.
    await t.services.settings.set(system, { key: 'attachments.retention_days', value: '35' });
    expect(await runJob()).toEqual({ deleted: 1, retentionDays: 35 });
    expect(existsSync(fileOf(ancient.id))).toBe(false);
    expect(existsSync(fileOf(month.id))).toBe(true);
    expect((await remaining()).sort()).toEqual([month.id, fresh.id].sort());

    // Back to the default of 30 days: the 31-day-old one goes too; the new one stays.
    await t.services.settings.unset(system, 'attachments.retention_days');
    expect(await runJob()).toEqual({ deleted: 1, retentionDays: 30 });
    expect(existsSync(fileOf(month.id))).toBe(false);
    expect(existsSync(fileOf(fresh.id))).toBe(true);
    expect(await remaining()).toEqual([fresh.id]);

    // Never shorter than a day, whatever the data says.
    expect(await runJob({ retentionDays: 0 })).toEqual({ deleted: 0, retentionDays: 1 });
    expect(existsSync(fileOf(fresh.id))).toBe(true);

    // Deleting the person removes their rows (the foreign key cascades).
    await t.database.db.delete(users).where(eq(users.id, user.id));
    expect(await remaining()).toEqual([]);
  });
});
