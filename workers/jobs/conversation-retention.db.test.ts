import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, messages } from '../../db/schema/index';
import { createTestServices, type TestServices } from '../../tests/helpers/test-app';
import { CONVERSATION_RETENTION } from './conversation-retention.job';

let t: TestServices;
beforeAll(async () => {
  t = await createTestServices({ jobs: 'work' });
});
afterAll(() => t?.close());

async function runJob(data: { retentionDays?: number } = {}) {
  const id = await t.services.queue.send(CONVERSATION_RETENTION, data);
  await expect
    .poll(async () => (await t.services.queue.status(CONVERSATION_RETENTION, id!))?.state, {
      timeout: 15_000,
      interval: 250,
    })
    .toBe('completed');
  return (await t.services.queue.status(CONVERSATION_RETENTION, id!))?.output;
}

describe('conversation retention job', () => {
  it('keeps everything by default, then deletes conversations (and messages) older than chat.retention_days', async () => {
    const system = t.services.systemCtx();
    const user = await t.services.users.create(system, {
      email: 'teacher@lakeside.example',
      password: 'Correct-horse-battery-staple-42',
    });
    const make = async (title: string, daysAgo: number) => {
      const [row] = await t.database.db
        .insert(conversations)
        .values({ userId: user.id, title, lastMessageAt: sql`now() - make_interval(days => ${daysAgo})` })
        .returning({ id: conversations.id });
      await t.database.db
        .insert(messages)
        .values({ conversationId: row!.id, role: 'user', parts: [{ type: 'text', text: title }] });
      return row!.id;
    };
    const ids = [await make('old', 100), await make('month', 31), await make('fresh', 1)];
    const remaining = async () =>
      (
        await t.database.db
          .select({ title: conversations.title })
          .from(conversations)
          .where(inArray(conversations.id, ids))
      )
        .map((r) => r.title)
        .sort();

    // No retention set: nothing goes.
    expect(await runJob()).toMatchObject({ deleted: 0, retentionDays: 0 });
    expect(await remaining()).toEqual(['fresh', 'month', 'old']);

    // 60 days: only the 100-day-old conversation goes, with its messages.
    await t.services.settings.set(system, { key: 'chat.retention_days', value: '60' });
    expect(await runJob()).toMatchObject({ deleted: 1, retentionDays: 60 });
    expect(await remaining()).toEqual(['fresh', 'month']);
    expect(await t.database.db.select().from(messages).where(eq(messages.conversationId, ids[0]!))).toEqual(
      [],
    );

    // The job's data overrides the setting (an operator running it by hand).
    expect(await runJob({ retentionDays: 30 })).toMatchObject({ deleted: 1, retentionDays: 30 });
    expect(await remaining()).toEqual(['fresh']);
  });
});
