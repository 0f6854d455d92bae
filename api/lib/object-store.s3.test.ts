/**
 * The S3 driver against a fake S3 over real HTTP that verifies every SigV4 signature: put/get/delete under
 * the prefix, signed payload hashes, wrong secrets and S3 failures as 503 unavailable:storage without the
 * secret (or S3's echoed error body) anywhere, and ECS task-role credentials from a fake container
 * credentials endpoint, refreshed before they expire.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeContainerCredentials,
  startFakeContainerCredentials,
} from '../../tests/helpers/fake-container-credentials';
import { type FakeS3, startFakeS3 } from '../../tests/helpers/fake-s3';
import type { S3StoreConfig } from '../config';
import { ContainerCredentials, staticCredentials } from './aws-credentials';
import { AppError } from './errors';
import { createLogger } from './logger';
import { createObjectStores } from './object-store';
import { S3ObjectStore } from './object-store.s3';

const BUCKET = 'district-uploads';
const KEY_ID = 'AKIAFAKESTATIC0001';
const SECRET = 'static-secret-never-logged-9f8e7d6c5b4a';

let s3: FakeS3;
const logLines: string[] = [];
const log = createLogger({
  level: 'debug',
  destination: new Writable({
    write(chunk, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  }),
});

function store(overrides: Partial<Omit<S3StoreConfig, 'credentials'>> = {}, secret = SECRET) {
  return new S3ObjectStore({
    bucket: BUCKET,
    region: 'eu-west-1',
    endpoint: s3.endpoint,
    prefix: 'attachments/',
    credentials: staticCredentials({ accessKeyId: KEY_ID, secretAccessKey: secret, sessionToken: null }),
    log,
    retries: 1,
    ...overrides,
  });
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

beforeAll(async () => {
  s3 = await startFakeS3({ bucket: BUCKET, region: 'eu-west-1' });
  s3.allow({ accessKeyId: KEY_ID, secretAccessKey: SECRET });
});
afterAll(async () => s3?.close());

describe('S3 object store', () => {
  it('puts, gets and deletes signed objects under the prefix, with the content type and a signed payload hash', async () => {
    const s = store();
    const bytes = new TextEncoder().encode('name,score\nAda,10\n');
    await s.put('user-1/f.csv', bytes, { contentType: 'text/csv' });
    expect(s3.object(BUCKET, 'attachments/user-1/f.csv')).toEqual({ bytes, contentType: 'text/csv' });
    const put = s3.requests.at(-1)!;
    expect(put).toMatchObject({ method: 'PUT', path: `/${BUCKET}/attachments/user-1/f.csv`, status: 200 });
    expect(put.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAFAKESTATIC0001\/\d{8}\/eu-west-1\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    expect(put.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);

    expect(await s.get('user-1/f.csv')).toEqual(bytes);
    expect(await s.get('user-1/missing.csv')).toBeNull();
    await s.delete('user-1/f.csv');
    expect(s3.object(BUCKET, 'attachments/user-1/f.csv')).toBeUndefined();
    await expect(s.delete('user-1/f.csv')).resolves.toBeUndefined();
  });

  it('uses virtual-hosted AWS URLs without an endpoint (path-style for dotted buckets), and no prefix when empty', () => {
    expect(store({ endpoint: null }).urlOf('u/a.png')).toBe(
      `https://${BUCKET}.s3.eu-west-1.amazonaws.com/attachments/u/a.png`,
    );
    expect(store({ endpoint: null, bucket: 'uploads.example.org', prefix: '' }).urlOf('u/a.png')).toBe(
      'https://s3.eu-west-1.amazonaws.com/uploads.example.org/u/a.png',
    );
    expect(() => store().urlOf('../other-prefix/x')).toThrow('Invalid object key');
  });

  it('answers a wrong secret with 503 naming S3’s code, never the secret or S3’s echoed error body', async () => {
    const wrong = 'wrong-secret-also-never-logged-1234567890';
    logLines.length = 0;
    const err = await refusal(
      store({}, wrong).put('user-1/x.txt', new Uint8Array([1]), { contentType: 'text/plain' }),
    );
    expect(err.status).toBe(503);
    expect(err.code).toBe('unavailable:storage');
    expect(err.message).toMatch(/S3 answered 403 SignatureDoesNotMatch/);
    expect(s3.requests.at(-1)).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    const everything =
      JSON.stringify({ message: err.message, details: err.details, cause: String(err.cause) }) +
      logLines.join('');
    for (const secret of [wrong, SECRET, KEY_ID, 'StringToSign', 'AWS4-HMAC-SHA256']) {
      expect(everything).not.toContain(secret);
    }
    expect(logLines.join('')).toContain('SignatureDoesNotMatch');
    expect(s3.object(BUCKET, 'attachments/user-1/x.txt')).toBeUndefined();
  });

  it('refuses credentials S3 does not know, and a region the bucket is not in', async () => {
    const unknown = new S3ObjectStore({
      bucket: BUCKET,
      region: 'eu-west-1',
      endpoint: s3.endpoint,
      prefix: 'attachments/',
      credentials: staticCredentials({
        accessKeyId: 'AKIANOBODY',
        secretAccessKey: SECRET,
        sessionToken: null,
      }),
      log,
    });
    expect((await refusal(unknown.get('u/a.txt'))).message).toMatch(/403 InvalidAccessKeyId/);
    expect((await refusal(store({ region: 'us-west-2' }).get('u/a.txt'))).message).toMatch(
      /400 AuthorizationHeaderMalformed/,
    );
  });

  it('retries S3 failures, then answers 503; an unreachable S3 is 503 too', async () => {
    const s = store();
    s3.fail(500, 1);
    await s.put('u/retried.txt', new Uint8Array([7]), { contentType: 'text/plain' });
    expect(s3.object(BUCKET, 'attachments/u/retried.txt')?.bytes).toEqual(new Uint8Array([7]));

    s3.fail(500);
    const before = s3.requests.length;
    const err = await refusal(s.get('u/retried.txt'));
    s3.fail(null);
    expect(err).toMatchObject({ status: 503, code: 'unavailable:storage' });
    expect(err.message).toMatch(/S3 answered 500 InternalError/);
    expect(s3.requests.length - before).toBe(2); // one try + one retry

    const gone = store({ endpoint: 'http://127.0.0.1:9' });
    expect(await refusal(gone.get('u/a.txt'))).toMatchObject({ status: 503, code: 'unavailable:storage' });
  });
});

describe('ECS task role credentials', () => {
  let endpoint: FakeContainerCredentials;
  let clock = Date.now();
  const TOKEN = 'container-authorization-token-xyz';

  beforeAll(async () => {
    endpoint = await startFakeContainerCredentials({
      s3,
      authorizationToken: TOKEN,
      expiresInMs: 60 * 60_000,
      now: () => clock,
    });
  });
  afterAll(async () => endpoint?.close());

  it('signs with the task role’s temporary credentials and session token, refreshing them before Expiration', async () => {
    logLines.length = 0;
    const stores = createObjectStores(
      {
        DATA_DIR: '/nonexistent',
        s3: {
          bucket: BUCKET,
          region: 'eu-west-1',
          endpoint: s3.endpoint,
          prefix: 'attachments/',
          credentials: {
            type: 'container',
            relativeUri: endpoint.path,
            fullUri: null,
            authorizationToken: TOKEN,
          },
        },
      },
      log,
      { containerCredentialsBase: endpoint.base, now: () => clock },
    );
    expect(stores.primary.driver).toBe('s3');
    const s = stores.primary;
    await s.put('u/role.txt', new TextEncoder().encode('hello'), { contentType: 'text/plain' });
    expect(endpoint.issued).toHaveLength(1);
    expect(endpoint.authorizations).toEqual([TOKEN]);
    const first = s3.requests.at(-1)!;
    expect(first.status).toBe(200);
    expect(first.headers['x-amz-security-token']).toBe('task-role-session-token-1');
    expect(first.headers.authorization).toContain('Credential=ASIAFAKETASKROLE1/');
    expect(first.headers.authorization).toContain('x-amz-security-token');

    // Still well before Expiration: the cached credentials are reused.
    clock += 30 * 60_000;
    expect(await s.get('u/role.txt')).toEqual(new TextEncoder().encode('hello'));
    expect(endpoint.issued).toHaveLength(1);

    // Within five minutes of Expiration: new credentials are fetched first.
    clock += 26 * 60_000;
    await s.delete('u/role.txt');
    expect(endpoint.issued).toHaveLength(2);
    expect(s3.requests.at(-1)!.headers['x-amz-security-token']).toBe('task-role-session-token-2');
    expect(s3.requests.at(-1)!.status).toBe(204);

    const logged = logLines.join('');
    expect(logged).toContain('container credentials refreshed');
    for (const c of endpoint.issued) {
      expect(logged).not.toContain(c.secretAccessKey);
      expect(logged).not.toContain(c.sessionToken!);
    }
    expect(logged).not.toContain(TOKEN);
  });

  it('fetches once for concurrent callers, and answers 503 when the endpoint refuses', async () => {
    const provider = new ContainerCredentials({
      relativeUri: endpoint.path,
      fullUri: null,
      authorizationToken: TOKEN,
      baseUrl: endpoint.base,
      log,
      now: () => clock,
    });
    const before = endpoint.issued.length;
    const all = await Promise.all([provider.get(), provider.get(), provider.get()]);
    expect(endpoint.issued.length - before).toBe(1);
    expect(new Set(all.map((c) => c.accessKeyId)).size).toBe(1);

    const refused = new ContainerCredentials({
      relativeUri: null,
      fullUri: `${endpoint.base}${endpoint.path}`,
      authorizationToken: 'wrong-token',
      log,
    });
    const err = await refusal(refused.get());
    expect(err).toMatchObject({ status: 503, code: 'unavailable:storage' });
    expect(String(err.cause)).toContain('401');
  });
});
