/**
 * POST /api/attachments: type sniffing from the bytes (not the name), size limits, text extraction from
 * real PDF and DOCX files, storage under DATA_DIR/uploads with a chat_attachments row, and a document's
 * text reaching the model through /api/chat as the user's message. GET and DELETE /api/attachments/{id}:
 * the owner downloads (headers per kind) and deletes; anyone else gets 404.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatAttachments } from '../../db/schema/index';
import { makeDocx, makePdf, PNG_1PX } from '../helpers/documents';
import { type FakeUpstream, startFakeUpstream } from '../helpers/fake-upstreams';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let cookie = '';
let userId = '';
let fake: FakeUpstream;

function upload(name: string, bytes: Uint8Array, type = 'application/octet-stream', who = cookie) {
  const form = new FormData();
  form.set('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), name);
  return app.fetch('/api/attachments', { method: 'POST', body: form, headers: { cookie: who } });
}

beforeAll(async () => {
  app = await startTestApp();
  const { session, user } = await app.services.auth.signUp(app.services.systemCtx(), {
    email: 'teacher@district.example',
    password: 'Correct-horse-battery-staple-42',
    name: 'Teacher',
  });
  cookie = (session.cookie as string).split(';')[0]!;
  userId = user.id;
  fake = await startFakeUpstream('openai-compatible');
});
afterAll(async () => {
  await fake?.close();
  await app?.close();
});

describe('POST /api/attachments', () => {
  it('extracts the text of a PDF, per page', async () => {
    const res = await upload('lesson.pdf', makePdf('Cells divide by mitosis'));
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({
      kind: 'document',
      mediaType: 'application/pdf',
      filename: 'lesson.pdf',
      url: null,
    });
    expect(body.text).toContain('Cells divide by mitosis');
    expect(body.text).toContain('Page 1');
    // Stored under DATA_DIR/uploads/<user>/<id>.pdf (owner-only), recorded in chat_attachments.
    const file = path.join(app.services.config.DATA_DIR, 'uploads', userId, `${body.id}.pdf`);
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(body.downloadUrl).toBe(`/api/attachments/${body.id}`);
    const [row] = await app.database.db.select().from(chatAttachments).where(eq(chatAttachments.id, body.id));
    expect(row).toMatchObject({
      userId,
      storage: 'local',
      storageKey: `${userId}/${body.id}.pdf`,
      filename: 'lesson.pdf',
      mediaType: 'application/pdf',
      kind: 'document',
      sizeBytes: body.size,
    });
    expect(row!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('extracts the text of a DOCX', async () => {
    const res = await upload('notes.docx', makeDocx(['First paragraph.', 'Second paragraph.']));
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.mediaType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(body.text).toMatch(/First paragraph\.\s+Second paragraph\./);
  });

  it('reads TXT, MD and CSV by extension only when the bytes are text', async () => {
    for (const [name, type] of [
      ['notes.txt', 'text/plain'],
      ['readme.md', 'text/markdown'],
      ['grades.csv', 'text/csv'],
    ] as const) {
      const res = await upload(name, new TextEncoder().encode('name,score\nAda,10\n'));
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ mediaType: type, text: 'name,score\nAda,10' });
    }
  });

  it('answers an image as a data URL, sniffed from the bytes whatever the name says', async () => {
    const res = await upload('photo.txt', PNG_1PX, 'text/plain');
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ kind: 'image', mediaType: 'image/png', text: null });
    expect(body.url).toBe(`data:image/png;base64,${Buffer.from(PNG_1PX).toString('base64')}`);
  });

  it('refuses unsupported and disguised files with 415 naming what was found', async () => {
    const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0]);
    const res = await upload('homework.txt', exe);
    expect(res.status).toBe(415);
    const body = await res.json();
    expect(body.error.code).toBe('unsupported_media_type:attachments');
    expect(body.error.message).toMatch(/homework\.txt: a EXE file/);
    const binary = await upload('data.bin', new Uint8Array([1, 2, 3, 0, 0, 9]));
    expect(binary.status).toBe(415);
  });

  it('refuses empty files (422), files over the limit (413) and a missing file (422)', async () => {
    expect((await upload('empty.txt', new Uint8Array())).status).toBe(422);
    const big = new Uint8Array(20 * 1024 * 1024 + 1).fill(0x61);
    const res = await upload('big.txt', big);
    expect(res.status).toBe(413);
    expect((await res.json()).error.message).toMatch(/at most 20 MB/);
    const none = await app.fetch('/api/attachments', {
      method: 'POST',
      body: new FormData(),
      headers: { cookie },
    });
    expect(none.status).toBe(422);
    expect(readdirSync(path.join(app.services.config.DATA_DIR, 'uploads', userId))).toHaveLength(6);
    const rows = await app.database.db
      .select()
      .from(chatAttachments)
      .where(eq(chatAttachments.userId, userId));
    expect(rows).toHaveLength(6);
  });

  it('stores nothing for a document that cannot be read', async () => {
    const before = readdirSync(path.join(app.services.config.DATA_DIR, 'uploads', userId)).length;
    const broken = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nbroken');
    const res = await upload('broken.pdf', broken);
    expect(res.status).toBe(422);
    expect(readdirSync(path.join(app.services.config.DATA_DIR, 'uploads', userId))).toHaveLength(before);
  });

  it('needs a signed-in person with chat:use', async () => {
    const res = await upload('a.txt', new TextEncoder().encode('x'), 'text/plain', '');
    expect(res.status).toBe(401);
  });

  it("gives the document's text to the model through /api/chat", async () => {
    const model = await app.services.models.create(app.services.systemCtx(), {
      provider: 'openai-compatible',
      modelId: 'fake-doc',
      baseUrl: fake.baseURL,
    });
    const doc = await (await upload('lesson.pdf', makePdf('Mitochondria make energy'))).json();
    fake.script({ chunks: ['It says mitochondria make energy.'] });
    const res = await app.fetch('/api/chat', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: crypto.randomUUID(),
        modelId: model.id,
        messages: [
          {
            id: 'u1',
            role: 'user',
            parts: [
              { type: 'text', text: `<document name="lesson.pdf">\n${doc.text}\n</document>` },
              { type: 'text', text: 'What does it say?' },
            ],
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
    await res.text();
    expect(JSON.stringify(fake.lastRequest().body)).toContain('Mitochondria make energy');
  });
});

describe('GET and DELETE /api/attachments/{id}', () => {
  let otherCookie = '';
  beforeAll(async () => {
    const { session } = await app.services.auth.signUp(app.services.systemCtx(), {
      email: 'other@district.example',
      password: 'Correct-horse-battery-staple-42',
      name: 'Other',
    });
    otherCookie = (session.cookie as string).split(';')[0]!;
  });

  it('gives the owner an image inline and a document as a file, with its detected type', async () => {
    const image = await (await upload('photo.txt', PNG_1PX)).json();
    const res = await app.fetch(image.downloadUrl, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toBe(
      `inline; filename="photo.txt"; filename*=UTF-8''photo.txt`,
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('private');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG_1PX);

    const text = new TextEncoder().encode('Élève,note\nAda,10\n');
    const doc = await (await upload('Résumé (final).csv', text)).json();
    const got = await app.fetch(doc.downloadUrl, { headers: { cookie } });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(got.headers.get('content-disposition')).toBe(
      `attachment; filename="R_sum_ (final).csv"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%28final%29.csv`,
    );
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(text);
  });

  it('answers 404 to anyone but the owner, 401 anonymously and 422 for a malformed id', async () => {
    const doc = await (await upload('private.txt', new TextEncoder().encode('mine'))).json();
    const other = await app.fetch(doc.downloadUrl, { headers: { cookie: otherCookie } });
    expect(other.status).toBe(404);
    expect((await other.json()).error.code).toBe('not_found:attachments');
    expect(
      (await app.fetch(doc.downloadUrl, { method: 'DELETE', headers: { cookie: otherCookie } })).status,
    ).toBe(404);
    expect((await app.fetch(doc.downloadUrl)).status).toBe(401);
    expect((await app.fetch('/api/attachments/not-an-id', { headers: { cookie } })).status).toBe(422);
    // Still there for the owner.
    expect(await (await app.fetch(doc.downloadUrl, { headers: { cookie } })).text()).toBe('mine');
  });

  it('lets the owner delete: file and row go, later requests are 404', async () => {
    const doc = await (await upload('gone.md', new TextEncoder().encode('# Gone'))).json();
    const file = path.join(app.services.config.DATA_DIR, 'uploads', userId, `${doc.id}.md`);
    expect(existsSync(file)).toBe(true);
    const del = await app.fetch(doc.downloadUrl, { method: 'DELETE', headers: { cookie } });
    expect(del.status).toBe(204);
    expect(existsSync(file)).toBe(false);
    expect(
      await app.database.db.select().from(chatAttachments).where(eq(chatAttachments.id, doc.id)),
    ).toEqual([]);
    expect((await app.fetch(doc.downloadUrl, { headers: { cookie } })).status).toBe(404);
    expect((await app.fetch(doc.downloadUrl, { method: 'DELETE', headers: { cookie } })).status).toBe(404);
  });

  it('answers 404 when the row remains but its file is gone', async () => {
    const doc = await (await upload('lost.txt', new TextEncoder().encode('lost'))).json();
    rmSync(path.join(app.services.config.DATA_DIR, 'uploads', userId, `${doc.id}.txt`));
    const res = await app.fetch(doc.downloadUrl, { headers: { cookie } });
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toMatch(/no longer stored/);
  });
});
