/**
 * Issue 9.2: NUL bytes and lone surrogates in input (titles, search queries, names, prompts) are normalised
 * where they enter — JSON bodies, query strings, path parameters, Remix forms — so they are stored as clean
 * text instead of answering 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient, signUpCookie } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let cookie: string;

beforeAll(async () => {
  app = await startTestApp({ web: true });
  const c = await signUpCookie(app, 'nul@district.example');
  cookie = `${c.name}=${c.value}`;
});
afterAll(async () => app?.close());

const json = (method: string, body: unknown) => ({
  method,
  headers: { cookie, 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('hostile text in API input', () => {
  it('stores a title with NUL and lone surrogates as clean text', async () => {
    const res = await app.fetch(
      '/api/conversations',
      json('POST', { title: 'Re\u0000port \uD800 e\u0301t\u00e9 \uDFFF' }),
    );
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; title: string };
    expect(created.title).toBe('Report \uFFFD \u00e9t\u00e9 \uFFFD');
    const renamed = await app.fetch(
      `/api/conversations/${created.id}`,
      json('PATCH', { title: '\u0000a\uDBFF' }),
    );
    expect(renamed.status).toBe(200);
    expect(((await renamed.json()) as { title: string }).title).toBe('a\uFFFD');
  });

  it('searches with NUL in the query', async () => {
    await app.fetch('/api/conversations', json('POST', { title: 'Field trip' }));
    const res = await app.fetch('/api/conversations?q=Field%00%20trip', { headers: { cookie } });
    expect(res.status).toBe(200);
    const list = (await res.json()) as { items: { title: string }[] };
    expect(list.items.map((i) => i.title)).toEqual(['Field trip']);
  });

  it('cleans query parameters that a route validates (the zod query schema reads them normalised)', async () => {
    // The first account is the administrator; the audit filter's `action` is validated from the query.
    for (const path of ['/api/admin/audit?action=%00', '/api/admin/audit.csv?action=users%00.update']) {
      const res = await app.fetch(path, { headers: { cookie } });
      expect(res.status, path).toBe(200);
    }
  });

  it('refuses a NUL-only path id with 4xx, not 500', async () => {
    const res = await app.fetch('/api/conversations/%00', { headers: { cookie } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe('hostile text in Remix forms', () => {
  it('saves a profile name with NUL', async () => {
    const web = documentClient(app, { me: cookie });
    const res = await web.post('/profile', 'me', { intent: 'name', name: 'Ada\u0000 Love\u0000lace' });
    expect(res.status).toBeLessThan(500);
    const me = (await (await app.fetch('/api/auth/session', { headers: { cookie } })).json()) as {
      user: { name: string };
    };
    expect(me.user.name).toBe('Ada Lovelace');
  });
});
