/**
 * Knowledge repositories through API v1 with the real job queue: create, add a PDF / DOCX / text / URL,
 * watch each reach `ready`, search with page citations and marked snippets; duplicates recognised; access
 * enforced in SQL (others get 404 and no results until shared); bad inputs refused or failed with a reason
 * while other items finish; re-indexing swaps generations without duplicating chunks.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knowledgeChunks } from '../../db/schema/index';
import { makeDocx, makePdfDocument, makePptx, makeXlsx } from '../helpers/documents';
import { documentClient, type SeededRole, usersForEachRole } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let cookies: Record<SeededRole, string>;
let otherStaff: string;
let site: Server;
let siteUrl: string;
let repoId: string;

interface Item {
  id: string;
  status: string;
  stage: string;
  error: string | null;
  generation: number;
  publishedGeneration: number | null;
  stats: Record<string, unknown>;
}
interface Result {
  itemId: string;
  title: string;
  location: { page?: number };
  snippet: string;
  score: number;
}

const json = (method: string, path: string, who: string, body?: unknown) =>
  app.fetch(path, {
    method,
    headers: { cookie: who, 'content-type': 'application/json', origin: app.url },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

function upload(name: string, bytes: Uint8Array, who = cookies.staff, repo = repoId) {
  const form = new FormData();
  form.set('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
  return app.fetch(`/api/v1/repositories/${repo}/items`, {
    method: 'POST',
    body: form,
    headers: { cookie: who, origin: app.url },
  });
}

async function settled(itemId: string, repo = repoId): Promise<Item> {
  let item: Item | undefined;
  await expect
    .poll(
      // Through the service, not HTTP: polling the API would spend the per-minute request budget.
      async () => {
        item = await app.services.knowledge.getItem(app.services.systemCtx(), repo, itemId);
        return item.status;
      },
      { timeout: 60_000, interval: 200 },
    )
    .toMatch(/^(ready|failed)$/);
  return item!;
}

async function search(q: string, who = cookies.staff, path = `/api/v1/repositories/${repoId}/search`) {
  const res = await json('GET', `${path}?q=${encodeURIComponent(q)}&limit=5`, who);
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: Result[] }).results;
}

beforeAll(async () => {
  app = await startTestApp({ jobs: 'work', web: true });
  ({ cookies } = await usersForEachRole(app));
  const other = await app.services.users.create(app.services.systemCtx(), {
    email: 'other-teacher@lakeside.example',
    name: 'Other',
    password: 'Correct-horse-battery-staple-42',
    roles: ['staff'],
  });
  otherStaff = `aistudio_session=${(await app.services.auth.createSession(app.services.systemCtx(), other.id)).token}`;
  site = createServer((req, res) => {
    if (req.url === '/redirect') {
      res.writeHead(302, { location: '/handbook.txt' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The field trip permission slip must be signed by a guardian before Friday.');
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  const res = await json('POST', '/api/v1/repositories', cookies.staff, {
    name: 'Staff handbook',
    description: 'Policies',
  });
  expect(res.status).toBe(201);
  repoId = ((await res.json()) as { id: string }).id;
});
afterAll(async () => {
  await new Promise<void>((resolve) => site?.close(() => resolve()));
  await app?.close();
});

describe('knowledge API v1', { timeout: 90_000 }, () => {
  it('creates a private repository with the lexical embedder and lists it for its owner only', async () => {
    const mine = await (await json('GET', '/api/v1/repositories', cookies.staff)).json();
    expect(mine.repositories).toEqual([
      expect.objectContaining({
        id: repoId,
        name: 'Staff handbook',
        visibility: 'private',
        embeddingModel: { id: null, name: 'lexical', dimensions: 384 },
        language: 'english',
        canManage: true,
      }),
    ]);
    const others = await (await json('GET', '/api/v1/repositories', otherStaff)).json();
    expect(others.repositories).toEqual([]);
    expect((await json('POST', '/api/v1/repositories', cookies.staff, { name: '' })).status).toBe(422);
    // Students lack knowledge:use / knowledge:manage.
    expect((await json('GET', '/api/v1/repositories', cookies.student)).status).toBe(403);
  });

  it('indexes a two-page PDF and cites the page of a sentence, with matched terms marked', async () => {
    const pdf = makePdfDocument([
      { lines: ['Attendance policy', 'Students arrive by eight each morning.'] },
      { lines: ['Grading policy', 'Late homework loses ten percent per day.'] },
    ]);
    const res = await upload('policies.pdf', pdf);
    expect(res.status).toBe(202);
    const accepted = await res.json();
    expect(accepted).toMatchObject({ status: 'queued', duplicate: false });
    const item = await settled(accepted.id);
    expect(item).toMatchObject({ status: 'ready', stage: 'ready', publishedGeneration: 1, error: null });
    const [top] = await search('late homework');
    expect(top).toMatchObject({ itemId: accepted.id, title: 'policies.pdf', location: { page: 2 } });
    expect(top!.snippet).toContain('<mark>homework</mark>');
    // The same bytes again: recognised, not indexed twice.
    const again = await (await upload('copy.pdf', pdf)).json();
    expect(again).toMatchObject({ id: accepted.id, duplicate: true });
  });

  it('indexes a DOCX and pasted text', async () => {
    const docx = await (await upload('trip.docx', makeDocx(['Buses leave at nine sharp.']))).json();
    const text = await (
      await json('POST', `/api/v1/repositories/${repoId}/items`, cookies.staff, {
        title: 'Library rules',
        text: '# Library\n\nBooks are due back within three weeks.',
      })
    ).json();
    expect((await settled(docx.id)).status).toBe('ready');
    expect((await settled(text.id)).status).toBe('ready');
    expect((await search('buses nine'))[0]).toMatchObject({ itemId: docx.id });
    expect((await search('books due'))[0]).toMatchObject({ itemId: text.id, title: 'Library rules' });
  });

  it('indexes an XLSX and a PPTX and cites the sheet and the slide', async () => {
    const xlsx = await upload(
      'fees.xlsx',
      await makeXlsx({
        Summary: [['Term', 'Total']],
        'Lab fees': [
          ['Course', 'Fee'],
          ['Chemistry goggles deposit', 12],
        ],
      }),
    );
    expect(xlsx.status).toBe(202);
    const pptx = await upload(
      'assembly.pptx',
      makePptx([['Welcome back'], ['The choir performs at the spring assembly']]),
    );
    expect(pptx.status).toBe(202);
    const [sheet, deck] = [(await xlsx.json()).id, (await pptx.json()).id];
    expect((await settled(sheet)).status).toBe('ready');
    expect((await settled(deck)).status).toBe('ready');
    expect((await search('chemistry goggles deposit'))[0]).toMatchObject({
      itemId: sheet,
      location: { sheet: 'Lab fees' },
    });
    expect((await search('choir spring assembly'))[0]).toMatchObject({
      itemId: deck,
      location: { slide: 2 },
    });
  });

  it('refuses a URL to 127.0.0.1 until an administrator allows the host, then follows redirects', async () => {
    const refused = await json('POST', `/api/v1/repositories/${repoId}/items`, cookies.staff, {
      url: `${siteUrl}/handbook.txt`,
    });
    expect(refused.status).toBe(422);
    const body = await refused.json();
    expect(body.error.message).toMatch(/private or local address/);
    expect(body.error.details.fields.url).toBeTruthy();
    await app.services.settings.set(app.services.systemCtx(), {
      key: 'knowledge.url_allowed_hosts',
      value: new URL(siteUrl).host,
    });
    const res = await json('POST', `/api/v1/repositories/${repoId}/items`, cookies.staff, {
      url: `${siteUrl}/redirect`,
    });
    expect(res.status).toBe(202);
    const { id } = await res.json();
    expect(await settled(id)).toMatchObject({ status: 'ready' });
    expect((await search('permission slip guardian'))[0]).toMatchObject({
      itemId: id,
      title: 'handbook.txt',
    });
  });

  it('refuses or fails bad files with a reason, and other items still finish', async () => {
    const empty = await upload('empty.pdf', new Uint8Array());
    expect(empty.status).toBe(422);
    expect((await empty.json()).error.message).toMatch(/empty/);
    const exe = new Uint8Array(4096);
    exe.set([0x4d, 0x5a, 0x90, 0x00]);
    exe.set(new TextEncoder().encode('This program cannot be run in DOS mode'), 78);
    const renamed = await upload('invoice.pdf', exe);
    expect(renamed.status).toBe(415);
    const big = await upload('huge.txt', new Uint8Array(21 * 1024 * 1024).fill(0x61));
    expect(big.status).toBe(413);
    const corrupt = await (
      await upload('broken.pdf', new TextEncoder().encode('%PDF-1.7\n1 0 obj garbage that is not a pdf'))
    ).json();
    const fine = await (
      await upload('fine.txt', new TextEncoder().encode('Recess lasts twenty minutes.'))
    ).json();
    expect(await settled(corrupt.id)).toMatchObject({ status: 'failed', stage: 'failed' });
    expect((await settled(corrupt.id)).error).toMatch(/could not be read|No text/);
    expect(await settled(fine.id)).toMatchObject({ status: 'ready' });
  });

  it('keeps a repository invisible to others until it is shared', async () => {
    const path = `/api/v1/repositories/${repoId}`;
    expect((await json('GET', path, otherStaff)).status).toBe(404);
    expect((await json('GET', `${path}/search?q=homework`, otherStaff)).status).toBe(404);
    expect(await search('homework', otherStaff, '/api/v1/search')).toEqual([]);
    // The search page (web UI) shows its owner the item and someone else nothing of it.
    const page = async (who: string) =>
      (await app.fetch('/knowledge/search?q=homework', { headers: { cookie: who } })).text();
    expect(await page(cookies.staff)).toContain('policies.pdf');
    expect(await page(otherStaff)).not.toContain('policies.pdf');
    // Readers may not change it.
    const shared = await json('PUT', `${path}/access`, cookies.staff, {
      visibility: 'roles',
      roles: ['staff'],
    });
    expect(shared.status).toBe(200);
    expect((await shared.json()).access.roles).toEqual(['staff']);
    expect((await search('homework', otherStaff, '/api/v1/search'))[0]).toMatchObject({
      title: 'policies.pdf',
    });
    expect((await json('POST', `${path}/items`, otherStaff, { title: 't', text: 'x' })).status).toBe(403);
    await json('PUT', `${path}/access`, cookies.staff, { visibility: 'private' });
    expect(await search('homework', otherStaff, '/api/v1/search')).toEqual([]);
    // Each access change is audited before → after: who may read it, and the roles added and removed.
    const audited = async (action: 'knowledge.repository_access' | 'grants.update') =>
      (await app.services.audit.list(app.services.systemCtx(), { action, limit: 50 }))
        .filter((e) => e.targetId === repoId)
        .reverse()
        .map((e) => e.details);
    expect(await audited('knowledge.repository_access')).toEqual([
      { visibility: { from: 'private', to: 'roles' } },
      { visibility: { from: 'roles', to: 'private' } },
    ]);
    expect(await audited('grants.update')).toEqual([
      { roles: { added: ['staff'], removed: [] } },
      { roles: { added: [], removed: ['staff'] } },
    ]);
  });

  it('offers the change of embedding model on the repository page, and refuses a model that is not one', async () => {
    const web = documentClient(app, cookies);
    expect(await (await web.get(`/knowledge/${repoId}`, 'staff')).text()).toContain('Change embedding model');
    const refused = await web.post(`/knowledge/${repoId}`, 'staff', {
      intent: 'embedding',
      embeddingModelId: crypto.randomUUID(),
    });
    expect(await refused.text()).toContain('embeddingModelId is not an active embedding model');
    const repo = await (await json('GET', `/api/v1/repositories/${repoId}`, cookies.staff)).json();
    expect(repo).toMatchObject({ embeddingModel: { id: null }, reembedding: null });
  });

  it('re-indexes into a new generation and keeps exactly one set of chunks', async () => {
    const items = (await (await json('GET', `/api/v1/repositories/${repoId}/items`, cookies.staff)).json())
      .items as Item[];
    const pdf = items.find((i) => i.status === 'ready')!;
    const before = await app.database.db
      .select()
      .from(knowledgeChunks)
      .where(eq(knowledgeChunks.itemId, pdf.id));
    const res = await json('POST', `/api/v1/repositories/${repoId}/items/${pdf.id}/reindex`, cookies.staff);
    expect(res.status).toBe(202);
    const after = await settled(pdf.id);
    expect(after).toMatchObject({ status: 'ready', generation: pdf.generation + 1 });
    expect(after.publishedGeneration).toBe(pdf.generation + 1);
    const chunks = await app.database.db
      .select()
      .from(knowledgeChunks)
      .where(eq(knowledgeChunks.itemId, pdf.id));
    expect(chunks).toHaveLength(before.length);
    expect(new Set(chunks.map((c) => c.generation))).toEqual(new Set([pdf.generation + 1]));
    const missing = await app.database.db
      .select()
      .from(knowledgeChunks)
      .where(and(eq(knowledgeChunks.itemId, pdf.id), eq(knowledgeChunks.dims, 384)));
    expect(missing).toHaveLength(chunks.length);
  });

  it('deletes an item and its chunks', async () => {
    const { id } = await (
      await json('POST', `/api/v1/repositories/${repoId}/items`, cookies.staff, {
        title: 'Temp',
        text: 'Ephemeral zebra note',
      })
    ).json();
    await settled(id);
    expect((await search('zebra'))[0]?.itemId).toBe(id);
    expect((await json('DELETE', `/api/v1/repositories/${repoId}/items/${id}`, cookies.staff)).status).toBe(
      204,
    );
    expect((await search('zebra')).map((r) => r.itemId)).not.toContain(id);
    expect((await json('GET', `/api/v1/repositories/${repoId}/items/${id}`, cookies.staff)).status).toBe(404);
  });
});
