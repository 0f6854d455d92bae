/**
 * Cited answers (issue 12.7) over real HTTP with the real job queue: a repository attached to a
 * conversation is searched every turn, the model (a fake OpenAI-compatible upstream) receives the passages
 * numbered [1], [2] … in its system prompt, and the numbered sources are streamed and saved with the
 * answer. A repository the person may not read is refused (404, or 403 without knowledge:use) and nothing of
 * it reaches the model; the token budget (setting) bounds what is added.
 */
import { eq } from 'drizzle-orm';
import { countTokens } from 'gpt-tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETRIEVAL_INSTRUCTIONS } from '../../api/features/chat/chat.retrieval';
import { conversations, messages } from '../../db/schema/index';
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
let student: Person;
let handbookId: string;
let libraryItemId: string;
let secretRepoId: string;

const LIBRARY = 'The school library opens at 7:45 on weekdays and closes at 16:30.';
const SECRET = 'The confidential staffing budget for next year is 4.2 million.';

async function addText(who: Person, repoId: string, title: string, text: string): Promise<string> {
  const res = await f.call(who, `/api/v1/repositories/${repoId}/items`, {
    method: 'POST',
    json: { title, text },
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  await eventually(async () => {
    const item = await f.app.services.knowledge.getItem(f.app.services.systemCtx(), repoId, id);
    if (item.status === 'failed') throw new Error(`indexing failed: ${item.error}`);
    return item.status === 'ready' ? true : undefined;
  }, 60_000);
  return id;
}

async function createRepository(who: Person, name: string): Promise<string> {
  const res = await f.call(who, '/api/v1/repositories', { method: 'POST', json: { name } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** The system prompt the fake upstream received last. */
const sentSystem = () => {
  const body = f.fake.lastRequest().body as { messages: Array<{ role: string; content: unknown }> };
  const system = body.messages.find((m) => m.role === 'system');
  return typeof system?.content === 'string' ? system.content : JSON.stringify(system?.content ?? '');
};

interface SavedSource {
  n: number;
  itemId: string;
  repositoryId: string;
  title: string;
  excerpt: string;
}

beforeAll(async () => {
  f = await startChatFixture({ app: await startTestApp({ jobs: 'work' }) });
  student = await f.signUp('pupil@district.example', ['student']);
  handbookId = await createRepository(f.staff, 'Staff handbook');
  libraryItemId = await addText(f.staff, handbookId, 'Library hours', LIBRARY);
  await addText(f.staff, handbookId, 'Parking', 'Staff park behind the gym; visitors use the front lot.');
  secretRepoId = await createRepository(f.admin, 'Leadership only');
  await addText(f.admin, secretRepoId, 'Budget', SECRET);
}, 120_000);
afterAll(async () => {
  await f?.close();
  await f?.app.close();
});

describe('cited answers in chat', { timeout: 60_000 }, () => {
  it('gives the model the numbered passages, streams and saves the sources, keeps the attachment', async () => {
    f.fake.script({ chunks: ['The library opens at 7:45 [1].'] });
    const res = await f.call(f.staff, '/api/chat', {
      method: 'POST',
      json: sendBody('When does the library open in the morning?', {
        modelId: f.modelId,
        repositoryIds: [handbookId],
      }),
    });
    expect(res.status).toBe(200);
    const chunks = await readAll(res);
    const conversationId = res.headers.get('x-conversation-id')!;
    const answerId = res.headers.get('x-message-id')!;

    const system = sentSystem();
    expect(system).toContain('[1] Library hours');
    expect(system).toContain(LIBRARY);
    expect(system).not.toContain(SECRET);

    const streamed = chunks.find((c) => c.chunk.type === 'data-sources')?.chunk as
      | { data: { sources: SavedSource[] } }
      | undefined;
    expect(streamed?.data.sources[0]).toMatchObject({ n: 1, itemId: libraryItemId, title: 'Library hours' });

    const [answer] = await f.app.database.db.select().from(messages).where(eq(messages.id, answerId));
    const saved = answer!.parts.find((p) => p.type === 'data-sources') as
      | { data: { sources: SavedSource[] } }
      | undefined;
    expect(saved?.data.sources).toEqual(streamed?.data.sources);
    expect(saved?.data.sources[0]?.excerpt).toBe(LIBRARY);
    expect(answer!.contentText).toBe('The library opens at 7:45 [1].');

    const [conv] = await f.app.database.db
      .select()
      .from(conversations)
      .where(eq(conversations.id, conversationId));
    expect(conv!.knowledgeRepositoryIds).toEqual([handbookId]);
    const view = await (await f.call(f.staff, `/api/conversations/${conversationId}`)).json();
    expect(view.repositoryIds).toEqual([handbookId]);

    // The next turn names no repositories: the attached one is searched again.
    f.fake.script({ chunks: ['Behind the gym [1].'] });
    const next = await f.call(f.staff, '/api/chat', {
      method: 'POST',
      json: sendBody('Where do staff park?', { conversationId }),
    });
    expect(next.status).toBe(200);
    await readAll(next);
    expect(sentSystem()).toMatch(/\[1\] Parking\nStaff park behind the gym/);

    // The citation opens the stored original.
    const file = await f.call(f.staff, `/api/v1/repositories/${handbookId}/items/${libraryItemId}/file`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await file.text()).toBe(LIBRARY);
  });

  it('refuses a repository the person cannot read and never searches it', async () => {
    const before = f.fake.requests.length;
    const res = await f.call(f.staff, '/api/chat', {
      method: 'POST',
      json: sendBody('What is the staffing budget?', {
        modelId: f.modelId,
        repositoryIds: [handbookId, secretRepoId],
      }),
    });
    expect(res.status).toBe(404);
    expect((await res.json()).error.details.fields).toEqual({
      repositoryIds: 'not a repository you may read',
    });
    const file = await f.call(f.staff, `/api/v1/repositories/${secretRepoId}/items/${libraryItemId}/file`);
    expect(file.status).toBe(404);

    const pupil = await f.call(student, '/api/chat', {
      method: 'POST',
      json: sendBody('When does the library open?', { modelId: f.modelId, repositoryIds: [handbookId] }),
    });
    expect(pupil.status).toBe(403);
    expect(f.fake.requests.length).toBe(before);
  });

  it('adds only what fits the token budget', async () => {
    const sys = f.app.services.systemCtx();
    const passage = `[1] Library hours\n${LIBRARY}`;
    // Room for the instructions and one passage, not two.
    await f.app.services.settings.set(sys, {
      key: 'knowledge.chat_token_budget',
      value: String(countTokens(RETRIEVAL_INSTRUCTIONS) + countTokens(passage) + 5),
    });
    try {
      f.fake.script({ chunks: ['7:45 [1].'] });
      const res = await f.call(f.staff, '/api/chat', {
        method: 'POST',
        json: sendBody('library opens weekdays', { modelId: f.modelId, repositoryIds: [handbookId] }),
      });
      const chunks = await readAll(res);
      const sources = (
        chunks.find((c) => c.chunk.type === 'data-sources')?.chunk as
          | { data: { sources: SavedSource[] } }
          | undefined
      )?.data.sources;
      expect(sources?.map((s) => s.title)).toEqual(['Library hours']);
      expect(sentSystem()).not.toContain('[2]');

      await f.app.services.settings.set(sys, { key: 'knowledge.chat_token_budget', value: '10' });
      f.fake.script({ chunks: ['I do not know.'] });
      const none = await readAll(
        await f.call(f.staff, '/api/chat', {
          method: 'POST',
          json: sendBody('library opens weekdays', { modelId: f.modelId, repositoryIds: [handbookId] }),
        }),
      );
      expect(none.some((c) => c.chunk.type === 'data-sources')).toBe(false);
      expect(sentSystem()).not.toContain(LIBRARY);
    } finally {
      await f.app.services.settings.set(sys, { key: 'knowledge.chat_token_budget', value: '3000' });
    }
  });
});
