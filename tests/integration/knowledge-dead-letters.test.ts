/**
 * The knowledge dead letters at /admin/knowledge (document requests, as a browser without JavaScript sends
 * them): a damaged upload fails in the real pipeline and is listed with its repository and reason for
 * administrators only; retry queues a new generation (audited); an item that has not failed is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDocxBomb } from '../helpers/bombs';
import { eventually } from '../helpers/chat-fixture';
import { documentClient, usersForEachRole } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
const cookie: Record<'admin' | 'staff', string> = { admin: '', staff: '' };
let repoId: string;

const page = () => documentClient(app, cookie);
const sys = () => app.services.systemCtx();

async function upload(name: string, content: string | Uint8Array): Promise<string> {
  const form = new FormData();
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  form.set('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
  const res = await app.fetch(`/api/v1/repositories/${repoId}/items`, {
    method: 'POST',
    body: form,
    headers: { cookie: cookie.staff, origin: app.url },
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

const settled = (itemId: string, generation = 0) =>
  eventually(async () => {
    const item = await app.services.knowledge.getItem(sys(), repoId, itemId);
    return item.generation >= generation && /^(ready|failed)$/.test(item.status) ? item : undefined;
  }, 60_000);

beforeAll(async () => {
  app = await startTestApp({ web: true, jobs: 'work' });
  const people = await usersForEachRole(app);
  cookie.admin = people.cookies.administrator;
  cookie.staff = people.cookies.staff;
  const res = await app.fetch('/api/v1/repositories', {
    method: 'POST',
    headers: { cookie: cookie.staff, origin: app.url, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Science department' }),
  });
  repoId = ((await res.json()) as { id: string }).id;
});
afterAll(async () => {
  await app?.close();
});

describe('knowledge dead letters in the admin console', { timeout: 90_000 }, () => {
  it('lists failed items of every repository for administrators and retries them', async () => {
    const broken = await upload('broken.pdf', '%PDF-1.7\n1 0 obj garbage that is not a pdf');
    const fine = await upload('labs.txt', 'Goggles are worn in every lab session.');
    const failed = await settled(broken);
    expect(failed.status).toBe('failed');
    expect((await settled(fine)).status).toBe('ready');

    expect((await page().get('/admin/knowledge', 'staff')).status).toBe(403);
    const res = await page().get('/admin/knowledge', 'admin');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('broken.pdf');
    expect(html).toContain('Science department');
    expect(html).toContain(failed.error!.replaceAll("'", '&#x27;').slice(0, 30));
    expect(html).not.toContain('labs.txt');
    // The console's navigation offers the page.
    expect(html).toContain('href="/admin/knowledge"');

    const refused = await page().post('/admin/knowledge', 'staff', { intent: 'retry', itemId: broken });
    expect(refused.status).toBe(403);
    const notFailed = await page().post('/admin/knowledge', 'admin', { intent: 'retry', itemId: fine });
    expect(notFailed.status).toBe(409);

    const retried = await page().post('/admin/knowledge', 'admin', { intent: 'retry', itemId: broken });
    expect(retried.status).toBe(200);
    const again = await settled(broken, failed.generation + 1);
    expect(again.generation).toBe(failed.generation + 1);
    expect(again.status).toBe('failed'); // still damaged: back in the list, not stuck
    const actions = (await app.services.audit.list(sys(), { limit: 50 })).map((e) => e.action);
    expect(actions).toContain('knowledge.item_retry');
  });

  it('fails a decompression bomb with a clear reason, bounded, while the server keeps answering', async () => {
    const bomb = await upload('minutes.docx', makeDocxBomb(60));
    const probes: number[] = [];
    const health = setInterval(() => {
      const started = performance.now();
      void app.fetch('/api/health').then(() => probes.push(performance.now() - started));
    }, 200);
    try {
      const item = await settled(bomb);
      expect(item.status).toBe('failed');
      expect(item.error).toMatch(/minutes.docx is refused: .*(unpacks|decompression bomb)/);
    } finally {
      clearInterval(health);
    }
    expect(probes.length).toBeGreaterThan(0);
    expect((await app.fetch('/api/health')).status).toBe(200);
  });
});
