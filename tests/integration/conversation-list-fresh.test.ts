/**
 * The conversation list's first page is served from memory (ConversationPages): every write to a person's
 * conversations shows on their very next list request. Each test reads the list first, so the page is cached
 * when the write happens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatFixture, type Person, readAll, sendBody, startChatFixture } from '../helpers/chat-fixture';

let f: ChatFixture;
let me: Person;
beforeAll(async () => {
  f = await startChatFixture();
  me = await f.signUp('lister@district.example');
});
afterAll(() => f?.close());

interface Item {
  id: string;
  title: string;
  pinned: boolean;
  messageCount: number;
  totalTokens: number;
}

async function list(who: Person = me, query = ''): Promise<Item[]> {
  const res = await f.call(who, `/api/conversations${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Item[] }).items;
}

async function create(title: string): Promise<string> {
  const res = await f.call(me, '/api/conversations', { method: 'POST', json: { title } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe('the conversation list after a write', () => {
  it('shows a created, renamed, pinned, archived and deleted conversation at once', async () => {
    expect(await list()).toEqual([]);
    const id = await create('Unit plan');
    expect((await list()).map((c) => c.title)).toEqual(['Unit plan']);
    const other = await create('Field trip');
    expect((await list()).map((c) => c.title)).toEqual(['Field trip', 'Unit plan']);

    expect(
      (await f.call(me, `/api/conversations/${id}`, { method: 'PATCH', json: { title: 'Unit plan v2' } }))
        .status,
    ).toBe(200);
    expect((await list()).map((c) => c.title)).toEqual(['Field trip', 'Unit plan v2']);
    expect(
      (await f.call(me, `/api/conversations/${id}`, { method: 'PATCH', json: { pinned: true } })).status,
    ).toBe(200);
    expect((await list()).map((c) => [c.title, c.pinned])).toEqual([
      ['Unit plan v2', true],
      ['Field trip', false],
    ]);
    expect((await list(me, '?archived=true')).length).toBe(0);
    expect(
      (await f.call(me, `/api/conversations/${other}`, { method: 'PATCH', json: { archived: true } })).status,
    ).toBe(200);
    expect((await list()).map((c) => c.title)).toEqual(['Unit plan v2']);
    expect((await list(me, '?archived=true')).map((c) => c.title)).toEqual(['Field trip']);
    expect((await f.call(me, `/api/conversations/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await list()).toEqual([]);
  });

  it("shows a chat turn's conversation, its messages and its tokens, and a fork", async () => {
    const before = await list();
    const res = await f.call(me, '/api/chat', {
      method: 'POST',
      json: sendBody('Plan a lesson', { modelId: f.modelId }),
    });
    expect(res.status).toBe(200);
    const conversationId = res.headers.get('x-conversation-id')!;
    await readAll(res);
    await f.app.services.chat.drain(5_000); // the answer's final write
    const after = await list();
    expect(after.length).toBe(before.length + 1);
    const turn = after.find((c) => c.id === conversationId)!;
    expect(turn.messageCount).toBe(2);
    expect(turn.totalTokens).toBeGreaterThan(0);
    const fork = await f.call(me, `/api/conversations/${conversationId}/fork`, { method: 'POST', json: {} });
    expect(fork.status).toBe(201);
    expect((await list()).length).toBe(before.length + 2);
  });

  it("keeps people's pages apart", async () => {
    const stranger = await f.signUp('stranger@district.example');
    await list(stranger);
    await create('Mine only');
    expect((await list(stranger)).map((c) => c.title)).not.toContain('Mine only');
    expect((await list()).map((c) => c.title)).toContain('Mine only');
  });

  it('forgets conversations the retention job deleted', async () => {
    await create('Old notes');
    expect((await list()).length).toBeGreaterThan(0);
    const later = new Date(Date.now() + 400 * 86_400_000);
    expect(await f.app.services.conversations.prune(f.app.services.systemCtx(), 365, later)).toBeGreaterThan(
      0,
    );
    expect(await list()).toEqual([]);
  });
});
