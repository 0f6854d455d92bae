/**
 * Large chat attachments (issue 12.7, docs/decisions/024) over real HTTP with the real job queue: a
 * document over `knowledge.chat_attachment_token_limit`, uploaded with the chat's id, is indexed into the
 * chat's private repository instead of being pasted into the prompt; the turn retrieves cited passages
 * from it (fake OpenAI-compatible upstream); nobody else reaches it (administrators included); it goes
 * with the conversation, and the expiry job deletes idle and orphaned ones. Small documents keep their text.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knowledgeRepositories } from '../../db/schema/index';
import {
  type ChatFixture,
  eventually,
  type Person,
  readAll,
  sendBody,
  startChatFixture,
} from '../helpers/chat-fixture';
import { startTestApp } from '../helpers/test-app';

let f: ChatFixture;

const NEEDLE = 'The orchestra rehearses in the east hall every Thursday at 15:10.';
/** About 2,000 tokens of distinct filler around one sentence the question asks about. */
const LONG = [
  ...Array.from(
    { length: 120 },
    (_, i) => `Paragraph ${i}: routine item ${i} of the annual plan, reviewed by committee ${i % 7}.`,
  ),
  NEEDLE,
  ...Array.from({ length: 40 }, (_, i) => `Appendix ${i}: reference number ${1000 + i}.`),
].join('\n\n');

interface Uploaded {
  id: string;
  text: string | null;
  knowledge: { repositoryId: string; itemId: string; status: string } | null;
}

async function upload(who: Person, name: string, text: string, chatId?: string) {
  const form = new FormData();
  form.set('file', new Blob([text], { type: 'text/markdown' }), name);
  if (chatId) form.set('chatId', chatId);
  return f.call(who, '/api/attachments', { method: 'POST', body: form });
}

async function uploadOk(who: Person, name: string, text: string, chatId?: string): Promise<Uploaded> {
  const res = await upload(who, name, text, chatId);
  expect(res.status).toBe(201);
  return (await res.json()) as Uploaded;
}

/** Waits for the pipeline (read as the system: polling over HTTP would meet the API rate limit). */
async function ready(k: { repositoryId: string; itemId: string }) {
  await eventually(async () => {
    const sys = f.app.services.systemCtx();
    const item = await f.app.services.knowledge.getItem(sys, k.repositoryId, k.itemId);
    if (item.status === 'failed') throw new Error(`indexing failed: ${item.error}`);
    return item.status === 'ready' ? true : undefined;
  }, 60_000);
}

const sentSystem = () => {
  const body = f.fake.lastRequest().body as { messages: Array<{ role: string; content: unknown }> };
  const system = body.messages.find((m) => m.role === 'system');
  return typeof system?.content === 'string' ? system.content : '';
};
const sentUser = () => {
  const body = f.fake.lastRequest().body as { messages: Array<{ role: string; content: unknown }> };
  return JSON.stringify(body.messages.filter((m) => m.role === 'user'));
};

beforeAll(async () => {
  f = await startChatFixture({ app: await startTestApp({ jobs: 'work' }) });
  await f.app.services.settings.set(f.app.services.systemCtx(), {
    key: 'knowledge.chat_attachment_token_limit',
    value: '500',
  });
}, 120_000);
afterAll(async () => {
  await f?.close();
  await f?.app.close();
});

describe('large documents attached to a chat', { timeout: 240_000 }, () => {
  it('indexes a long document for the chat and answers from it with citations', async () => {
    const chatId = crypto.randomUUID();
    const long = await uploadOk(f.staff, 'annual-plan.md', LONG, chatId);
    expect(long.text).toBeNull();
    expect(long.knowledge).toMatchObject({ status: 'queued' });
    const k = long.knowledge!;
    await ready(k);
    // The composer follows the item's progress as its owner.
    const progress = await f.call(f.staff, `/api/v1/repositories/${k.repositoryId}/items/${k.itemId}`);
    expect(await progress.json()).toMatchObject({ status: 'ready', stage: 'ready' });

    // A small document keeps today's behaviour: its text comes back to be sent with the message.
    const small = await uploadOk(f.staff, 'note.md', 'Bring a pencil.', chatId);
    expect(small).toMatchObject({ text: 'Bring a pencil.', knowledge: null });

    f.fake.script({ chunks: ['On Thursdays at 15:10 [1].'] });
    const body = sendBody('When does the orchestra rehearse?', { id: chatId, modelId: f.modelId });
    body.messages[0]!.parts.unshift({
      type: 'text',
      text: `<document name="annual-plan.md" id="${long.id}" indexed="true">\n[indexed]\n</document>`,
    });
    const res = await f.call(f.staff, '/api/chat', { method: 'POST', json: body });
    expect(res.status).toBe(200);
    const chunks = await readAll(res);
    expect(res.headers.get('x-conversation-id')).toBe(chatId);

    expect(sentSystem()).toContain(NEEDLE);
    expect(sentSystem()).toContain('[1] annual-plan.md');
    // The document is not pasted whole: only the best passages within the budget reach the prompt. (Which
    // filler passages fill the rest depends on the approximate vector index, so none is named here.)
    const prompt = sentSystem() + sentUser();
    const fillers = new Set(prompt.match(/Paragraph \d+:/g) ?? []);
    expect(fillers.size).toBeLessThan(120 / 2);
    const sources = (
      chunks.find((c) => c.chunk.type === 'data-sources')?.chunk as
        | { data: { sources: { repositoryId: string; itemId: string }[] } }
        | undefined
    )?.data.sources;
    expect(sources?.[0]).toMatchObject({ repositoryId: k.repositoryId, itemId: k.itemId });

    // The citation opens the original for its owner.
    const file = await f.call(f.staff, `/api/v1/repositories/${k.repositoryId}/items/${k.itemId}/file`);
    expect(file.status).toBe(200);

    // Owner only: not listed, not readable by anyone else (an administrator included), not in searches.
    for (const who of [f.admin, f.staff]) {
      const list = (await (await f.call(who, '/api/v1/repositories')).json()) as {
        repositories: { id: string }[];
      };
      expect(list.repositories.map((r) => r.id)).not.toContain(k.repositoryId);
    }
    expect((await f.call(f.admin, `/api/v1/repositories/${k.repositoryId}`)).status).toBe(404);
    expect(
      (await f.call(f.admin, `/api/v1/repositories/${k.repositoryId}/items/${k.itemId}/file`)).status,
    ).toBe(404);
    const adminSearch = (await (
      await f.call(f.admin, `/api/v1/search?q=${encodeURIComponent('orchestra rehearses')}`)
    ).json()) as { results: unknown[] };
    expect(adminSearch.results).toEqual([]);
    const theirs = await f.call(f.admin, '/api/chat', {
      method: 'POST',
      json: sendBody('When does the orchestra rehearse?', {
        modelId: f.modelId,
        repositoryIds: [k.repositoryId],
      }),
    });
    expect(theirs.status).toBe(404);

    // Deleting the conversation deletes its private repository.
    expect((await f.call(f.staff, `/api/conversations/${chatId}`, { method: 'DELETE' })).status).toBe(204);
    const left = await f.app.database.db
      .select()
      .from(knowledgeRepositories)
      .where(eq(knowledgeRepositories.id, k.repositoryId));
    expect(left).toEqual([]);
  });

  it('keeps the text of a long document when no chat is named, and refuses a malformed chatId', async () => {
    const plain = await uploadOk(f.staff, 'plan.md', LONG);
    expect(plain.knowledge).toBeNull();
    expect(plain.text).toContain(NEEDLE);
    const bad = await upload(f.staff, 'plan.md', LONG, 'not-a-uuid');
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.details.fields).toEqual({ chatId: 'Invalid UUID' });
  });

  it('expires idle chat repositories and those whose conversation never came', async () => {
    const sys = f.app.services.systemCtx();
    const orphan = (await uploadOk(f.staff, 'orphan.md', LONG, crypto.randomUUID())).knowledge!;
    const chatId = crypto.randomUUID();
    const kept = (await uploadOk(f.staff, 'kept.md', LONG, chatId)).knowledge!;
    await ready(kept);
    const turn = await f.call(f.staff, '/api/chat', {
      method: 'POST',
      json: sendBody('orchestra?', { id: chatId, modelId: f.modelId }),
    });
    await readAll(turn);
    const ids = async () =>
      (await f.app.database.db.select({ id: knowledgeRepositories.id }).from(knowledgeRepositories)).map(
        (r) => r.id,
      );

    // Now: nothing is old enough.
    expect(await f.app.services.chatKnowledge.prune(sys, 30)).toBe(0);
    // Two days on: the orphan (no conversation) goes, the one with its conversation stays.
    const later = new Date(Date.now() + 2 * 86_400_000);
    expect(await f.app.services.chatKnowledge.prune(sys, 30, later)).toBe(1);
    expect(await ids()).not.toContain(orphan.repositoryId);
    expect(await ids()).toContain(kept.repositoryId);
    // Past the retention: it goes too.
    const expired = new Date(Date.now() + 31 * 86_400_000);
    expect(await f.app.services.chatKnowledge.prune(sys, 30, expired)).toBe(1);
    expect(await ids()).not.toContain(kept.repositoryId);
  });
});
