/**
 * Amazon Textract when configured (issue 12.4): with TEXTRACT_REGION (and TEXTRACT_ENDPOINT pointing at a
 * fake Textract over real HTTP that checks the SigV4 Authorization header and the X-Amz-Target), a PDF
 * page without a text layer is rasterised and read by Textract, a PNG is sent as it is, their chunks and
 * search results say `textract`, and the page with a text layer is not sent at all. Wrong credentials
 * fail the item with Textract's error type, never its message or the key.
 */
import { createCanvas } from '@napi-rs/canvas';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ctx } from '../../api/lib/ctx';
import { knowledgeChunks } from '../../db/schema/index';
import { makePdfDocument } from '../helpers/documents';
import { type FakeTextract, startFakeTextract } from '../helpers/fake-textract';
import { startTestApp, type TestApp } from '../helpers/test-app';

const KEY = { accessKeyId: 'AKIDTEXTRACTTEST', secretAccessKey: 'textract-test-secret' };
let fake: FakeTextract;
let app: TestApp;
let owner: Ctx;

function png(): Uint8Array {
  const canvas = createCanvas(400, 100);
  const g = canvas.getContext('2d');
  g.fillStyle = 'white';
  g.fillRect(0, 0, 400, 100);
  return new Uint8Array(canvas.toBuffer('image/png'));
}

function jpeg(): Uint8Array {
  const canvas = createCanvas(400, 100);
  const g = canvas.getContext('2d');
  g.fillStyle = 'white';
  g.fillRect(0, 0, 400, 100);
  return new Uint8Array(canvas.toBuffer('image/jpeg'));
}

async function ready(repositoryId: string, itemId: string) {
  await expect
    .poll(async () => (await app.services.knowledge.getItem(owner, repositoryId, itemId)).status, {
      timeout: 120_000,
      interval: 250,
    })
    .toMatch(/^(ready|failed)$/);
  return app.services.knowledge.getItem(owner, repositoryId, itemId);
}

beforeAll(async () => {
  fake = await startFakeTextract({ region: 'eu-west-1', ...KEY });
  app = await startTestApp({
    jobs: 'work',
    env: {
      TEXTRACT_REGION: 'eu-west-1',
      TEXTRACT_ENDPOINT: fake.endpoint,
      AWS_ACCESS_KEY_ID: KEY.accessKeyId,
      AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey,
    },
  });
  const user = await app.services.users.create(app.services.systemCtx(), {
    email: 'scanner@district.example',
    name: 'Scanner',
    password: 'Correct-horse-battery-staple-42',
    roles: ['staff'],
  });
  owner = {
    ...app.services.systemCtx(),
    actor: (await app.services.users.actorFor(app.database.db, user.id))!,
  };
}, 120_000);
afterAll(async () => {
  await app?.close();
  await fake?.close();
});

describe('OCR through Amazon Textract', { timeout: 180_000 }, () => {
  it('reads pages without text and images with Textract and says so', async () => {
    const repo = await app.services.knowledge.createRepository(owner, { name: 'Scans' });
    fake.lines = ['Fire drills happen every second Tuesday', 'Assemble on the football field'];
    const scan = makePdfDocument([
      { lines: ['Cover page with a text layer'] },
      { jpeg: { bytes: jpeg(), width: 400, height: 100 } },
    ]);
    const pdf = await app.services.knowledge.addFile(owner, repo.id, { filename: 'scan.pdf', bytes: scan });
    const item = await ready(repo.id, pdf.id);
    expect(item).toMatchObject({ status: 'ready', stats: { ocrPages: 1, ocrEngine: 'textract' } });
    // One call, for the page without text, carrying a PNG rendering of it.
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      status: 200,
      target: 'Textract.DetectDocumentText',
      contentType: 'application/x-amz-json-1.1',
    });
    expect(fake.requests[0]!.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTEXTRACTTEST\/\d{8}\/eu-west-1\/textract\/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-target[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    expect(fake.requests[0]!.document!.subarray(1, 4).toString('latin1')).toBe('PNG');

    const [drill] = await app.services.knowledge.search(owner, {
      q: 'fire drills Tuesday',
      repositoryIds: [repo.id],
    });
    expect(drill).toMatchObject({ itemId: pdf.id, location: { page: 2 }, readBy: 'textract' });
    // Only LINE blocks become text (a WORD block repeats a line's words).
    const texts = (
      await app.database.db.select().from(knowledgeChunks).where(eq(knowledgeChunks.itemId, pdf.id))
    ).map((c) => c.text);
    expect(texts.join('\n')).toContain(
      'Fire drills happen every second Tuesday\nAssemble on the football field',
    );
    expect(texts.join('\n')).not.toContain('WORD-ONLY');

    fake.lines = ['Cafeteria closes early on Fridays'];
    const image = await app.services.knowledge.addFile(owner, repo.id, {
      filename: 'notice.png',
      bytes: png(),
    });
    expect((await ready(repo.id, image.id)).stats).toMatchObject({ ocrEngine: 'textract' });
    expect(Buffer.from(fake.requests.at(-1)!.document!).equals(Buffer.from(png()))).toBe(true);
    const [cafeteria] = await app.services.knowledge.search(owner, {
      q: 'cafeteria closes',
      repositoryIds: [repo.id],
    });
    expect(cafeteria).toMatchObject({ itemId: image.id, readBy: 'textract' });
  });
});

describe('Textract refusing the credentials', { timeout: 180_000 }, () => {
  it('fails the item with the error type, not the message or the key', async () => {
    const wrong = await startFakeTextract({ region: 'eu-west-1', ...KEY, secretAccessKey: 'another-secret' });
    const other = await startTestApp({
      jobs: 'work',
      env: {
        TEXTRACT_REGION: 'eu-west-1',
        TEXTRACT_ENDPOINT: wrong.endpoint,
        AWS_ACCESS_KEY_ID: KEY.accessKeyId,
        AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey,
      },
    });
    try {
      const sys = other.services.systemCtx();
      const user = await other.services.users.create(sys, {
        email: 'scanner@district.example',
        name: 'Scanner',
        password: 'Correct-horse-battery-staple-42',
        roles: ['staff'],
      });
      const ctx = { ...sys, actor: (await other.services.users.actorFor(other.database.db, user.id))! };
      const repo = await other.services.knowledge.createRepository(ctx, { name: 'Scans' });
      const added = await other.services.knowledge.addFile(ctx, repo.id, { filename: 'n.png', bytes: png() });
      await expect
        .poll(async () => (await other.services.knowledge.getItem(ctx, repo.id, added.id)).status, {
          timeout: 120_000,
          interval: 250,
        })
        .toBe('failed');
      const item = await other.services.knowledge.getItem(ctx, repo.id, added.id);
      expect(item.error).toBe('Amazon Textract could not read a page (InvalidSignatureException)');
      expect(wrong.requests.every((r) => r.status === 400)).toBe(true);
    } finally {
      await other.close();
      await wrong.close();
    }
  });
});
