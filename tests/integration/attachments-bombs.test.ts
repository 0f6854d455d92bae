/**
 * Issue 9 item 1: decompression and parser bombs uploaded to /api/attachments by a student. Each is refused
 * quickly with 422 naming the file, nothing is stored, the process's memory stays flat, and /api/health
 * keeps answering under 100 ms p99 while the bomb is being refused (polled concurrently). Before the
 * bounded extractor (api/extract), each of these grew the process by gigabytes on the event loop.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatAttachments } from '../../db/schema/index';
import { makeDocxBomb, makeInflatingPdf, makeManyPagesPdf } from '../helpers/bombs';
import { makeDocx, makePdf } from '../helpers/documents';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let cookie = '';
let userId = '';

/** How much the process may grow while one bomb is refused (the probe saw 2.7–4.6 GB). */
const RSS_GROWTH_MB = 200;
const QUICK_MS = 10_000;
const HEALTH_P99_MS = 100;
const HEALTH_SAMPLES = 30;

/** The multipart body, encoded before it is sent: encoding it is the client's work, not the server's. */
async function encodeUpload(name: string, bytes: Uint8Array) {
  const form = new FormData();
  form.set('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
  const req = new Request('http://localhost/', { method: 'POST', body: form });
  return { body: await req.arrayBuffer(), type: req.headers.get('content-type')! };
}

async function upload(name: string, bytes: Uint8Array) {
  return send(await encodeUpload(name, bytes));
}

function send(encoded: { body: ArrayBuffer; type: string }) {
  return app.fetch('/api/attachments', {
    method: 'POST',
    body: encoded.body,
    headers: { cookie, 'content-type': encoded.type },
  });
}

/** Polls /api/health one request after another until `done` settles, and at least `min` times. */
async function pollHealth(done: Promise<unknown>, min: number): Promise<number[]> {
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  const latencies: number[] = [];
  while (!finished || latencies.length < min) {
    const started = performance.now();
    const res = await app.fetch('/api/health');
    await res.arrayBuffer();
    expect(res.status).toBe(200);
    latencies.push(performance.now() - started);
  }
  return latencies;
}

const p99 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
};

const stored = async () => ({
  files: readdirSync(path.join(app.services.config.DATA_DIR, 'uploads', userId)).length,
  rows: (await app.database.db.select().from(chatAttachments).where(eq(chatAttachments.userId, userId)))
    .length,
});

beforeAll(async () => {
  app = await startTestApp();
  const ctx = app.services.systemCtx();
  await app.services.auth.signUp(ctx, {
    email: 'admin@district.example',
    password: 'Correct-horse-battery-staple-42',
    name: 'Admin',
  });
  await app.services.auth.setSignupPolicy(ctx, { defaultRole: 'student' });
  const { session, user } = await app.services.auth.signUp(ctx, {
    email: 'student@district.example',
    password: 'Correct-horse-battery-staple-42',
    name: 'Student',
  });
  expect(user.roles.map((r) => r.name)).toEqual(['student']);
  cookie = (session.cookie as string).split(';')[0]!;
  userId = user.id;
  // The extraction worker is started and its parsers loaded by real documents first, so what follows
  // measures the bombs, not the first load.
  expect((await upload('warm.docx', makeDocx(['Warm up.']))).status).toBe(201);
  expect((await upload('warm.pdf', makePdf('Warm up.'))).status).toBe(201);
}, 120_000);
afterAll(async () => app?.close());

describe('bombs uploaded to /api/attachments', () => {
  const cases: [string, string, () => Promise<Uint8Array> | Uint8Array, RegExp][] = [
    ['a DOCX of tiny paragraphs unpacking to 40 MB', 'essay.docx', () => makeDocxBomb(40), /unpacks to/],
    ['a PDF of 20,000 pages', 'reader.pdf', () => makeManyPagesPdf(20_000), /20,000 pages/],
    ['a PDF with a stream inflating to 300 MB', 'scan.pdf', () => makeInflatingPdf(300), /unpacks to more/],
  ];

  for (const [what, name, make, message] of cases) {
    it(`refuses ${what} quickly, storing nothing, memory flat, health answering`, async () => {
      const bytes = await make();
      expect(bytes.byteLength).toBeLessThan(4 * 1024 * 1024);
      const encoded = await encodeUpload(name, bytes);
      const before = await stored();
      // The health latency of this machine as it is now, with no bomb.
      const baseline = await pollHealth(Promise.resolve(), HEALTH_SAMPLES);
      const rssBefore = process.memoryUsage().rss;
      let rssPeak = rssBefore;
      const sampler = setInterval(() => {
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      }, 5);
      const started = performance.now();
      const refused = send(encoded);
      const latencies = await pollHealth(refused, HEALTH_SAMPLES);
      const res = await refused;
      const elapsed = performance.now() - started;
      clearInterval(sampler);

      expect(res.status).toBe(422);
      const body = await res.json();
      expect(body.error.code).toBe('validation:attachments');
      expect(body.error.message).toContain(name);
      expect(body.error.message).toMatch(message);
      expect(elapsed).toBeLessThan(QUICK_MS);
      expect((rssPeak - rssBefore) / 1024 / 1024).toBeLessThan(RSS_GROWTH_MB);
      // 100 ms p99. On a machine already slow with no bomb at all (a loaded CI runner or laptop), health
      // may be no slower than three times its own p99 measured just before. The probe saw 30 s.
      expect(p99(latencies)).toBeLessThan(Math.max(HEALTH_P99_MS, 3 * p99(baseline)));
      expect(await stored()).toEqual(before);
    });
  }

  it('still reads a real document afterwards', async () => {
    const res = await upload('after.docx', makeDocx(['Still here.']));
    expect(res.status).toBe(201);
    expect((await res.json()).text).toBe('Still here.');
  });
});
