/**
 * Conversations over real HTTP: regenerate and edit-and-resend (branches, both navigable), fork, rename /
 * pin / archive, search by title and content, cursor pagination, model grants, ownership and validation.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ChatFixture,
  type Person,
  readAll,
  sendBody,
  startChatFixture,
  textOf,
} from '../helpers/chat-fixture';

let f: ChatFixture;

beforeAll(async () => {
  f = await startChatFixture();
});
afterAll(async () => {
  await f?.close();
});
beforeEach(async () => {
  await f.app.services.chat.drain(5_000);
  f.fake.reset();
});

interface Tree {
  currentLeafId: string;
  messages: Array<{ id: string; parentId: string | null; role: string; siblingIds: string[] }>;
  branch: Array<{
    id: string;
    role: string;
    parts: Array<{ type: string; text?: string }>;
    metadata: { siblingIds: string[] };
  }>;
}

async function say(text: string, extra: Record<string, unknown> = {}, who: Person = f.staff) {
  const res = await f.call(who, '/api/chat', {
    method: 'POST',
    json: sendBody(text, { modelId: f.modelId, ...extra }),
  });
  expect(res.status).toBe(200);
  const chunks = await readAll(res);
  return {
    conversationId: res.headers.get('x-conversation-id')!,
    assistantId: res.headers.get('x-message-id')!,
    text: textOf(chunks),
    chunks,
  };
}

async function tree(conversationId: string): Promise<Tree> {
  const res = await f.call(f.staff, `/api/conversations/${conversationId}/messages`);
  expect(res.status).toBe(200);
  return (await res.json()) as Tree;
}

const branchText = (t: Tree) =>
  t.branch.map((m) => `${m.role}:${m.parts.find((p) => p.type === 'text')?.text ?? ''}`);

describe('branches', () => {
  it('regenerate adds a sibling answer; both answers stay navigable', async () => {
    f.fake.enqueue({ chunks: ['First answer'] }, { chunks: ['Second answer'] });
    const turn = await say('Write a haiku about rain');
    const res = await f.call(f.staff, '/api/chat', {
      method: 'POST',
      json: {
        id: turn.conversationId,
        conversationId: turn.conversationId,
        messages: [],
        trigger: 'regenerate-message',
        messageId: turn.assistantId,
      },
    });
    expect(res.status).toBe(200);
    expect(textOf(await readAll(res))).toBe('Second answer');
    const newId = res.headers.get('x-message-id')!;
    let t = await tree(turn.conversationId);
    expect(t.messages).toHaveLength(3);
    expect(t.currentLeafId).toBe(newId);
    expect(t.branch.at(-1)!.metadata.siblingIds).toEqual([turn.assistantId, newId]);
    expect(branchText(t)).toEqual(['user:Write a haiku about rain', 'assistant:Second answer']);
    // The regenerated call saw the question only, not the first answer.
    const sent = f.fake.lastRequest().body as { messages: Array<{ role: string }> };
    expect(sent.messages.map((m) => m.role)).toEqual(['user']);

    const patch = await f.call(f.staff, `/api/conversations/${turn.conversationId}`, {
      method: 'PATCH',
      json: { currentLeafId: turn.assistantId },
    });
    expect(patch.status).toBe(200);
    t = await tree(turn.conversationId);
    expect(branchText(t)).toEqual(['user:Write a haiku about rain', 'assistant:First answer']);
  });

  it('edit-and-resend creates a sibling user message with its own answer; the old branch remains', async () => {
    f.fake.enqueue({ chunks: ['Paris'] }, { chunks: ['Ottawa'] }, { chunks: ['Rome'] });
    const one = await say('Capital of France?');
    const two = await say('And of Canada?', { conversationId: one.conversationId });
    const before = await tree(one.conversationId);
    const editedUser = before.branch[2]!;
    expect(editedUser.role).toBe('user');

    const edit = await f.call(f.staff, '/api/chat', {
      method: 'POST',
      json: sendBody('And of Italy?', { conversationId: one.conversationId, messageId: editedUser.id }),
    });
    expect(textOf(await readAll(edit))).toBe('Rome');
    const sent = f.fake.lastRequest().body as { messages: Array<{ role: string; content: unknown }> };
    expect(JSON.stringify(sent.messages)).not.toContain('Canada');
    expect(JSON.stringify(sent.messages)).toContain('Paris');

    const after = await tree(one.conversationId);
    expect(after.messages).toHaveLength(6);
    expect(branchText(after)).toEqual([
      'user:Capital of France?',
      'assistant:Paris',
      'user:And of Italy?',
      'assistant:Rome',
    ]);
    expect(after.branch[2]!.metadata.siblingIds).toEqual([editedUser.id, after.branch[2]!.id]);
    // Back to the old branch: picking the old user message lands on its newest answer.
    await f.call(f.staff, `/api/conversations/${one.conversationId}`, {
      method: 'PATCH',
      json: { currentLeafId: editedUser.id },
    });
    expect((await tree(one.conversationId)).currentLeafId).toBe(two.assistantId);
  });

  it('fork copies the branch into a new conversation', async () => {
    f.fake.enqueue({ chunks: ['A1'] }, { chunks: ['A2'] });
    const one = await say('Q1 about volcanoes');
    await say('Q2', { conversationId: one.conversationId });
    const res = await f.call(f.staff, `/api/conversations/${one.conversationId}/fork`, {
      method: 'POST',
      json: {},
    });
    expect(res.status).toBe(201);
    const fork = (await res.json()) as {
      id: string;
      forkedFrom: string;
      messageCount: number;
      title: string;
    };
    expect(fork).toMatchObject({ forkedFrom: one.conversationId, messageCount: 4 });
    expect(fork.title).toContain('(fork)');
    const t = await tree(fork.id);
    expect(branchText(t)).toEqual(['user:Q1 about volcanoes', 'assistant:A1', 'user:Q2', 'assistant:A2']);
    // Up to a message: only that part.
    const partial = await f.call(f.staff, `/api/conversations/${one.conversationId}/fork`, {
      method: 'POST',
      json: { messageId: one.assistantId, title: 'Volcanoes' },
    });
    const p = (await partial.json()) as { id: string; title: string };
    expect(p.title).toBe('Volcanoes');
    expect(branchText(await tree(p.id))).toEqual(['user:Q1 about volcanoes', 'assistant:A1']);
    // Continuing the fork works like any conversation.
    f.fake.enqueue({ chunks: ['A3'] });
    const next = await say('Q3', { conversationId: fork.id });
    expect(next.text).toBe('A3');
  });
});

describe('conversation list', () => {
  let person: Person;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    person = await f.signUp('librarian@district.example');
    f.fake.script({ chunks: ['Sure.'] });
    for (const text of [
      'Lesson plan on photosynthesis for grade 5',
      'Quadratic equations worksheet',
      'Email to parents about the field trip',
    ]) {
      ids[text] = (await say(text, {}, person)).conversationId;
    }
  });

  it('lists newest first with an automatic title from the first message', async () => {
    const res = await f.call(person, '/api/conversations');
    const body = (await res.json()) as { items: Array<{ id: string; title: string; messageCount: number }> };
    expect(body.items.map((c) => c.title)).toEqual([
      'Email to parents about the field trip',
      'Quadratic equations worksheet',
      'Lesson plan on photosynthesis for grade…',
    ]);
    expect(body.items[0]!.messageCount).toBe(2);
    // Nobody else sees them.
    const other = (await (await f.call(f.staff, '/api/conversations?limit=100')).json()) as {
      items: Array<{ id: string }>;
    };
    expect(other.items.some((c) => Object.values(ids).includes(c.id))).toBe(false);
  });

  it('searches titles and message text by word prefix', async () => {
    const search = async (q: string) =>
      (
        (await (await f.call(person, `/api/conversations?q=${encodeURIComponent(q)}`)).json()) as {
          items: Array<{ id: string; snippet: string | null }>;
        }
      ).items;
    expect((await search('photosynth')).map((c) => c.id)).toEqual([
      ids['Lesson plan on photosynthesis for grade 5'],
    ]);
    expect((await search('FIELD trip')).map((c) => c.id)).toEqual([
      ids['Email to parents about the field trip'],
    ]);
    // Content only (the answer text), not in any title.
    expect(await search('sure')).toHaveLength(3);
    expect(await search("'); drop table messages; --")).toEqual([]);
  });

  it('pins, archives, renames and paginates with a cursor', async () => {
    const quadratic = ids['Quadratic equations worksheet']!;
    const lesson = ids['Lesson plan on photosynthesis for grade 5']!;
    const patch = (id: string, json: unknown) =>
      f.call(person, `/api/conversations/${id}`, { method: 'PATCH', json });
    expect((await patch(lesson, { pinned: true, title: 'Photosynthesis' })).status).toBe(200);
    expect((await patch(quadratic, { archived: true })).status).toBe(200);
    const list = async (query: string) =>
      (await (await f.call(person, `/api/conversations${query}`)).json()) as {
        items: Array<{ id: string; title: string }>;
        nextCursor: string | null;
      };
    const all = await list('');
    expect(all.items.map((c) => c.title)).toEqual([
      'Photosynthesis',
      'Email to parents about the field trip',
    ]);
    expect((await list('?archived=true')).items.map((c) => c.id)).toEqual([quadratic]);
    expect((await list('?pinned=true')).items.map((c) => c.id)).toEqual([lesson]);
    const page1 = await list('?archived=all&limit=2');
    expect(page1.items).toHaveLength(2);
    const page2 = await list(`?archived=all&limit=2&cursor=${page1.nextCursor}`);
    expect(page2.items).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    expect(new Set([...page1.items, ...page2.items].map((c) => c.id)).size).toBe(3);
    expect((await f.call(person, '/api/conversations?cursor=garbage')).status).toBe(422);
  });

  it('deletes a conversation; others cannot read, change or delete it', async () => {
    const id = ids['Email to parents about the field trip']!;
    expect((await f.call(f.staff, `/api/conversations/${id}`)).status).toBe(404);
    expect((await f.call(f.staff, `/api/conversations/${id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await f.call(f.staff, `/api/conversations/${id}/messages`)).status).toBe(404);
    const hijack = await f.call(f.staff, '/api/chat', {
      method: 'POST',
      json: sendBody('hi', { conversationId: id }),
    });
    expect(hijack.status).toBe(404);
    expect((await f.call(person, `/api/conversations/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await f.call(person, `/api/conversations/${id}`)).status).toBe(404);
  });
});

describe('access and validation', () => {
  it('a user without the model grant neither sees nor calls it', async () => {
    const student = await f.signUp('pupil@district.example', ['student']);
    const restricted = await f.app.services.models.create(f.app.services.systemCtx(), {
      provider: 'openai-compatible',
      modelId: 'fake-small',
      baseUrl: f.fake.baseURL,
    });
    await f.app.services.models.setGrants(f.app.services.systemCtx(), restricted.id, { roles: ['staff'] });
    const visible = async (who: Person) =>
      (
        (await (await f.call(who, '/api/models?surface=chat')).json()) as { models: Array<{ id: string }> }
      ).models.map((m) => m.id);
    expect(await visible(student)).not.toContain(restricted.id);
    expect(await visible(f.staff)).toContain(restricted.id);
    const before = f.fake.requests.length;
    const res = await f.call(student, '/api/chat', {
      method: 'POST',
      json: sendBody('hi', { modelId: restricted.id }),
    });
    expect(res.status).toBe(404);
    expect(f.fake.requests.length).toBe(before);
    // Switching a conversation to it is refused the same way.
    const convo = await say('hello', {}, student);
    const patch = await f.call(student, `/api/conversations/${convo.conversationId}`, {
      method: 'PATCH',
      json: { modelId: restricted.id },
    });
    expect(patch.status).toBe(404);
  });

  it('answers 401 to anonymous callers and 422 naming the field for bad input', async () => {
    expect(
      (await f.call(null, '/api/chat', { method: 'POST', json: sendBody('hi', { modelId: f.modelId }) }))
        .status,
    ).toBe(401);
    expect((await f.call(null, '/api/conversations')).status).toBe(401);
    const bad = async (json: unknown, field: string) => {
      const res = await f.call(f.staff, '/api/chat', { method: 'POST', json });
      expect(res.status).toBe(422);
      const body = (await res.json()) as { error: { details: { fields: Record<string, string> } } };
      expect(Object.keys(body.error.details.fields)).toContain(field);
    };
    await bad(sendBody('hi'), 'modelId');
    await bad(sendBody('   ', { modelId: f.modelId }), 'messages.0.parts');
    await bad({ ...sendBody('hi', { modelId: f.modelId }), trigger: 'explode' }, 'trigger');
    await bad(
      {
        messages: [{ id: 'x', role: 'assistant', parts: [{ type: 'text', text: 'hi' }] }],
        modelId: f.modelId,
      },
      'messages',
    );
    await bad(
      {
        ...sendBody('hi', { modelId: f.modelId }),
        messages: [{ id: 'x', role: 'user', parts: [{ type: 'tool-x' }] }],
      },
      'messages.0.parts',
    );
    const patch = await f.call(f.staff, `/api/conversations/${crypto.randomUUID()}`, {
      method: 'PATCH',
      json: { title: '' },
    });
    expect([404, 422]).toContain(patch.status);
  });
});
