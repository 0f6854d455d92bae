/**
 * Chat attachments with S3 configured (S3_BUCKET, S3_ENDPOINT …) against a fake S3 that verifies SigV4:
 * uploads land under the prefix with their detected type, the owner downloads and deletes them, retention
 * removes old ones; wrong credentials and an S3 failing with 500 answer 503 unavailable:storage without
 * secrets and without leaving a row; ECS task-role credentials (AWS_CONTAINER_CREDENTIALS_FULL_URI) work.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatAttachments } from '../../db/schema/index';
import { makePdf, PNG_1PX } from '../helpers/documents';
import {
  type FakeContainerCredentials,
  startFakeContainerCredentials,
} from '../helpers/fake-container-credentials';
import { type FakeS3, startFakeS3 } from '../helpers/fake-s3';
import { startTestApp, type TestApp } from '../helpers/test-app';

const BUCKET = 'district-chat-files';
const KEY_ID = 'AKIAFAKEINTEGRATION1';
const SECRET = 'integration-secret-do-not-leak-5a4b3c2d1e';

let s3: FakeS3;
let app: TestApp;
let cookie = '';
let userId = '';

const s3Env = (extra: Record<string, string> = {}) => ({
  S3_BUCKET: BUCKET,
  S3_ENDPOINT: s3.endpoint,
  S3_REGION: 'eu-central-1',
  AWS_ACCESS_KEY_ID: KEY_ID,
  AWS_SECRET_ACCESS_KEY: SECRET,
  ...extra,
});

async function signUp(target: TestApp, email: string) {
  const { session, user } = await target.services.auth.signUp(target.services.systemCtx(), {
    email,
    password: 'Correct-horse-battery-staple-42',
    name: 'Teacher',
  });
  return { cookie: (session.cookie as string).split(';')[0]!, userId: user.id };
}

function upload(target: TestApp, who: string, name: string, bytes: Uint8Array) {
  const form = new FormData();
  form.set('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
  return target.fetch('/api/attachments', { method: 'POST', body: form, headers: { cookie: who } });
}

const rowsOf = (target: TestApp, id: string) =>
  target.database.db.select().from(chatAttachments).where(eq(chatAttachments.userId, id));

beforeAll(async () => {
  s3 = await startFakeS3({ bucket: BUCKET, region: 'eu-central-1' });
  s3.allow({ accessKeyId: KEY_ID, secretAccessKey: SECRET });
  app = await startTestApp({ env: s3Env({ S3_PREFIX: 'ai-studio/attachments' }) });
  ({ cookie, userId } = await signUp(app, 'teacher@district.example'));
});
afterAll(async () => {
  await app?.close();
  await s3?.close();
});

describe('attachments in S3', () => {
  it('puts the upload under the prefix with its detected type and bytes, records it, answers as before', async () => {
    const res = await upload(app, cookie, 'diagram.txt', PNG_1PX);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({
      kind: 'image',
      mediaType: 'image/png',
      downloadUrl: `/api/attachments/${body.id}`,
    });
    expect(body.url).toBe(`data:image/png;base64,${Buffer.from(PNG_1PX).toString('base64')}`);
    const key = `ai-studio/attachments/${userId}/${body.id}.png`;
    expect(s3.object(BUCKET, key)).toEqual({ bytes: PNG_1PX, contentType: 'image/png' });
    expect(s3.requests.at(-1)).toMatchObject({ method: 'PUT', status: 200, path: `/${BUCKET}/${key}` });
    const [row] = await app.database.db.select().from(chatAttachments).where(eq(chatAttachments.id, body.id));
    expect(row).toMatchObject({
      storage: 's3',
      storageKey: `${userId}/${body.id}.png`,
      sizeBytes: PNG_1PX.length,
    });
  });

  it('downloads from S3 for the owner only, and deletes object and row', async () => {
    const pdf = makePdf('Photosynthesis needs light');
    const doc = await (await upload(app, cookie, 'biology.pdf', pdf)).json();
    expect(doc.text).toContain('Photosynthesis needs light');
    const key = `ai-studio/attachments/${userId}/${doc.id}.pdf`;

    const got = await app.fetch(doc.downloadUrl, { headers: { cookie } });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toMatch(/^attachment; filename="biology.pdf"/);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(pdf);
    expect(s3.requests.at(-1)).toMatchObject({ method: 'GET', status: 200, path: `/${BUCKET}/${key}` });

    const other = await signUp(app, 'other@district.example');
    expect((await app.fetch(doc.downloadUrl, { headers: { cookie: other.cookie } })).status).toBe(404);
    expect(
      (await app.fetch(doc.downloadUrl, { method: 'DELETE', headers: { cookie: other.cookie } })).status,
    ).toBe(404);
    expect(s3.object(BUCKET, key)).toBeDefined();

    const del = await app.fetch(doc.downloadUrl, { method: 'DELETE', headers: { cookie } });
    expect(del.status).toBe(204);
    expect(s3.object(BUCKET, key)).toBeUndefined();
    expect(s3.requests.at(-1)).toMatchObject({ method: 'DELETE', status: 204 });
    expect((await app.fetch(doc.downloadUrl, { headers: { cookie } })).status).toBe(404);
  });

  it('answers 503 unavailable:storage while S3 fails with 500, leaving no row; works again after', async () => {
    const before = (await rowsOf(app, userId)).length;
    s3.fail(500);
    const res = await upload(app, cookie, 'notes.txt', new TextEncoder().encode('during the outage'));
    s3.fail(null);
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.error.code).toBe('unavailable:storage');
    expect(body.error.message).toMatch(/S3 answered 500 InternalError/);
    expect(await rowsOf(app, userId)).toHaveLength(before);

    const ok = await upload(app, cookie, 'notes.txt', new TextEncoder().encode('after the outage'));
    expect(ok.status).toBe(201);
    const doc = await ok.json();
    s3.fail(500);
    const download = await app.fetch(doc.downloadUrl, { headers: { cookie } });
    s3.fail(null);
    expect(download.status).toBe(503);
    expect((await download.json()).error.code).toBe('unavailable:storage');
  });

  it('deletes attachments older than the retention period from S3, keeping newer ones', async () => {
    const old = await (await upload(app, cookie, 'old.md', new TextEncoder().encode('# Old'))).json();
    const fresh = await (await upload(app, cookie, 'fresh.md', new TextEncoder().encode('# Fresh'))).json();
    await app.database.db
      .update(chatAttachments)
      .set({ createdAt: sql`now() - interval '40 days'` })
      .where(eq(chatAttachments.id, old.id));
    const deleted = await app.services.attachments.prune(app.services.systemCtx(), 30);
    expect(deleted).toBe(1);
    expect(s3.object(BUCKET, `ai-studio/attachments/${userId}/${old.id}.md`)).toBeUndefined();
    expect(s3.object(BUCKET, `ai-studio/attachments/${userId}/${fresh.id}.md`)).toBeDefined();
    expect((await app.fetch(fresh.downloadUrl, { headers: { cookie } })).status).toBe(200);
  });
});

describe('S3 with wrong credentials', () => {
  let wrong: TestApp;
  beforeAll(async () => {
    wrong = await startTestApp({
      env: s3Env({ AWS_SECRET_ACCESS_KEY: 'a-wrong-secret-that-must-not-leak-42' }),
    });
  });
  afterAll(async () => wrong?.close());

  it('answers 503 naming S3’s refusal, with neither secret nor S3’s error body in the answer, and no row', async () => {
    const person = await signUp(wrong, 'teacher@district.example');
    const res = await upload(wrong, person.cookie, 'notes.txt', new TextEncoder().encode('hello'));
    const text = await res.text();
    expect(res.status).toBe(503);
    expect(JSON.parse(text).error).toMatchObject({ code: 'unavailable:storage' });
    expect(JSON.parse(text).error.message).toMatch(/403 SignatureDoesNotMatch/);
    expect(s3.requests.at(-1)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    for (const secret of ['a-wrong-secret-that-must-not-leak-42', SECRET, KEY_ID, 'StringToSign']) {
      expect(text).not.toContain(secret);
    }
    expect(await rowsOf(wrong, person.userId)).toEqual([]);
  });
});

describe('S3 with ECS task role credentials', () => {
  let ecs: TestApp;
  let endpoint: FakeContainerCredentials;
  beforeAll(async () => {
    endpoint = await startFakeContainerCredentials({ s3, authorizationToken: 'ecs-auth-token' });
    ecs = await startTestApp({
      env: {
        S3_BUCKET: BUCKET,
        S3_ENDPOINT: s3.endpoint,
        S3_REGION: 'eu-central-1',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `${endpoint.base}${endpoint.path}`,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: 'ecs-auth-token',
      },
    });
  });
  afterAll(async () => {
    await ecs?.close();
    await endpoint?.close();
  });

  it('uploads and downloads with the temporary credentials and session token', async () => {
    const person = await signUp(ecs, 'staff@district.example');
    const doc = await (
      await upload(ecs, person.cookie, 'plan.csv', new TextEncoder().encode('week,topic\n1,cells\n'))
    ).json();
    expect(doc.mediaType).toBe('text/csv');
    expect(s3.object(BUCKET, `attachments/${person.userId}/${doc.id}.csv`)?.contentType).toBe('text/csv');
    const put = s3.requests.at(-1)!;
    expect(put.status).toBe(200);
    expect(put.headers['x-amz-security-token']).toBe(endpoint.issued[0]!.sessionToken);
    expect(put.headers.authorization).toContain(`Credential=${endpoint.issued[0]!.accessKeyId}/`);
    expect(endpoint.authorizations).toEqual(['ecs-auth-token']);
    const got = await ecs.fetch(doc.downloadUrl, { headers: { cookie: person.cookie } });
    expect(await got.text()).toBe('week,topic\n1,cells\n');
    expect(endpoint.issued).toHaveLength(1);
  });
});
