/**
 * On Postgres, a conversation written by another server process drops this process's cached list page
 * through NOTIFY conversations_changed; a burst of changes goes out in few notifications.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONVERSATIONS_CHANNEL } from '../../api/features/chat/conversation-pages';
import { createCtx } from '../../api/lib/ctx';
import { createServices, type Services } from '../../api/services';
import { type ChatFixture, startChatFixture } from '../helpers/chat-fixture';

let f: ChatFixture;
let other: Services;
beforeAll(async () => {
  f = await startChatFixture();
  // A second service container on the same database stands in for another instance.
  other = createServices({ config: f.app.services.config, database: f.app.database, log: f.app.log });
  await other.conversationPages.subscribe(f.app.database, f.app.log);
});
afterAll(async () => {
  await other?.conversationPages.close();
  await other?.apiKeys.close();
  await other?.rateLimiter.close();
  await f?.close();
});

const titles = async () => {
  const res = await f.call(f.staff, '/api/conversations');
  return ((await res.json()) as { items: Array<{ title: string }> }).items.map((c) => c.title);
};

describe('conversation pages across processes (Postgres NOTIFY)', () => {
  it("a conversation another process created shows in this one's cached list without waiting for the TTL", async () => {
    expect(await titles()).not.toContain('Made elsewhere');
    const actor = (await f.app.services.users.actorFor(f.app.database.db, f.staff.id, {}))!;
    const ctx = createCtx({ db: f.app.database.db, log: f.app.log, actor });
    await other.conversations.create(ctx, { title: 'Made elsewhere' });
    await expect.poll(titles, { timeout: 3_000, interval: 50 }).toContain('Made elsewhere');
  });

  it('sends a burst of changes in fewer notifications, naming everyone', async () => {
    const listener = postgres(f.app.database.target.kind === 'url' ? f.app.database.target.url : '', {
      max: 1,
    });
    const seen: string[] = [];
    await listener.listen(CONVERSATIONS_CHANNEL, (payload) => seen.push(payload));
    const ids = Array.from(
      { length: 40 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    );
    for (const id of ids) other.conversationPages.changed(f.app.database.db, id);
    const named = () => new Set(seen.flatMap((p) => p.split(',')));
    await expect.poll(() => ids.every((id) => named().has(id)), { timeout: 3_000 }).toBe(true);
    expect(seen.length).toBeLessThan(ids.length);
    await listener.end();
  });
});
