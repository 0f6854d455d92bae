/**
 * GET /api/v1/conversations and /{id} with API keys: the owner's conversations only, cursor pagination
 * (`limit`, `cursor`, `nextCursor`) without repeats, scope `chat` enforced in the service (403 for a
 * models:read key), 404 for someone else's conversation, 422 for a bad cursor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../api/lib/ctx';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let chatKey: string;
let readOnlyKey: string;
let otherKey: string;
const ids: string[] = [];

async function person(email: string): Promise<Actor> {
  const { user } = await app.services.auth.signUp(app.services.systemCtx(), {
    email,
    password: 'Correct-horse-battery-staple-42',
    name: email.split('@')[0],
  });
  return (await app.services.users.actorFor(app.database.db, user.id))!;
}

const key = async (email: string, scopes: string[]) =>
  (await app.services.apiKeys.createForEmail(app.services.systemCtx(), email, { name: 'conv', scopes }))
    .secret;

const get = (path: string, secret: string) =>
  app.fetch(path, { headers: { authorization: `Bearer ${secret}` } });

beforeAll(async () => {
  app = await startTestApp();
  await person('admin@district.example');
  const teacher = await person('teacher@district.example');
  await person('other@district.example');
  const ctx = { ...app.services.systemCtx(), actor: teacher };
  for (let i = 0; i < 5; i++)
    ids.push((await app.services.conversations.create(ctx, { title: `Lesson ${i}` })).id);
  chatKey = await key('teacher@district.example', ['chat']);
  readOnlyKey = await key('teacher@district.example', ['models:read']);
  otherKey = await key('other@district.example', ['chat']);
});
afterAll(async () => app?.close());

describe('/api/v1/conversations', () => {
  it('pages through the owner’s conversations by cursor without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(
        `/api/v1/conversations?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        chatKey,
      );
      expect(res.status).toBe(200);
      const page = (await res.json()) as {
        items: { id: string; title: string }[];
        nextCursor: string | null;
      };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
    expect(seen.sort()).toEqual([...ids].sort());
    const others = (await (await get('/api/v1/conversations', otherKey)).json()) as { items: unknown[] };
    expect(others.items).toEqual([]);
  });

  it('returns one conversation with its messages, 404 for another user’s', async () => {
    const res = await get(`/api/v1/conversations/${ids[0]}`, chatKey);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: ids[0], title: 'Lesson 0', messages: [] });
    expect((await get(`/api/v1/conversations/${ids[0]}`, otherKey)).status).toBe(404);
    expect((await get('/api/v1/conversations/not-an-id', chatKey)).status).toBe(422);
  });

  it('needs the chat scope', async () => {
    const list = await get('/api/v1/conversations', readOnlyKey);
    expect(list.status).toBe(403);
    expect(((await list.json()) as { error: { code: string } }).error.code).toBe('forbidden:scope');
    expect((await get(`/api/v1/conversations/${ids[0]}`, readOnlyKey)).status).toBe(403);
  });

  it('rejects a forged cursor with 422', async () => {
    expect((await get('/api/v1/conversations?cursor=bm9wZQ', chatKey)).status).toBe(422);
  });
});
