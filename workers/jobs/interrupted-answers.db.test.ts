import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERRUPTED_REASON } from '../../api/features/chat/chat.service';
import { conversations, messages } from '../../db/schema/index';
import { createTestServices, type TestServices } from '../../tests/helpers/test-app';
import { INTERRUPTED_ANSWERS } from './interrupted-answers.job';

let t: TestServices;
beforeAll(async () => {
  t = await createTestServices({ jobs: 'work' });
});
afterAll(() => t?.close());

describe('interrupted answers job', () => {
  it('fails answers left streaming by a stopped process, and leaves live and finished ones alone', async () => {
    const ctx = t.services.systemCtx();
    const user = await t.services.users.create(ctx, {
      email: 'owner@lakeside.example',
      password: 'Correct-horse-battery-staple-42',
    });
    const [conversation] = await t.database.db.insert(conversations).values({ userId: user.id }).returning();
    const inserted = await t.database.db
      .insert(messages)
      .values([
        {
          conversationId: conversation!.id,
          role: 'assistant',
          status: 'streaming',
          updatedAt: sql`now() - interval '2 hours'`,
        },
        { conversationId: conversation!.id, role: 'assistant', status: 'streaming' },
        {
          conversationId: conversation!.id,
          role: 'assistant',
          status: 'complete',
          updatedAt: sql`now() - interval '2 hours'`,
        },
      ])
      .returning({ id: messages.id });
    const id = await t.services.queue.send(INTERRUPTED_ANSWERS, {});
    await expect
      .poll(async () => (await t.services.queue.status(INTERRUPTED_ANSWERS, id!))?.state, {
        timeout: 15_000,
        interval: 250,
      })
      .toBe('completed');
    expect((await t.services.queue.status(INTERRUPTED_ANSWERS, id!))?.output).toEqual({ failed: 1 });
    const rows = await Promise.all(
      inserted.map(
        async ({ id }) => (await t.database.db.select().from(messages).where(eq(messages.id, id)))[0]!,
      ),
    );
    expect(rows.map((r) => r.status)).toEqual(['failed', 'streaming', 'complete']);
    expect(rows[0]!.error).toBe(INTERRUPTED_REASON);
  });
});
