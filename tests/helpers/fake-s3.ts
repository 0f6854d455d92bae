/**
 * A fake S3 over real HTTP for object-store tests: path-style `/<bucket>/<key>` PUT, GET and DELETE on
 * in-memory buckets, with the SigV4 `Authorization` header checked the way S3 does — the fake re-signs the
 * request with aws4fetch's AwsV4Signer and the secret it knows for the access key id, and answers
 * 403 SignatureDoesNotMatch (with S3's error body, which echoes the access key id and the string to sign)
 * when they differ. Usage:
 *
 *   const s3 = await startFakeS3({ bucket: 'uploads', region: 'eu-west-1' });
 *   s3.allow({ accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' });
 *   // S3_ENDPOINT=s3.endpoint S3_BUCKET=uploads …
 *   s3.object('uploads', 'attachments/u/1.png');  // { bytes, contentType } | undefined
 *   s3.fail(500, 3);                               // the next 3 requests answer 500 InternalError
 *   s3.requests;                                   // what was asked, and the answers' status and S3 code
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsV4Signer } from 'aws4fetch';

export interface FakeCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** When set, requests must carry it signed as x-amz-security-token (temporary credentials). */
  sessionToken?: string;
}

export interface StoredObject {
  bytes: Uint8Array;
  contentType: string | null;
}

export interface RecordedS3Request {
  method: string;
  path: string;
  headers: Record<string, string>;
  status: number;
  code: string | null;
}

export interface FakeS3 {
  /** http://127.0.0.1:<port>, for S3_ENDPOINT. */
  endpoint: string;
  region: string;
  requests: RecordedS3Request[];
  allow(credentials: FakeCredentials): void;
  object(bucket: string, key: string): StoredObject | undefined;
  keys(bucket: string): string[];
  /** Answer the next `times` requests (default: every one until `fail(null)`) with this status. */
  fail(status: number | null, times?: number): void;
  close(): Promise<void>;
}

const PARSE_AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;
const REQUIRED_SIGNED = ['host', 'x-amz-content-sha256', 'x-amz-date'];

const xmlEscape = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

class S3Refusal {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
    readonly extra: Record<string, string> = {},
  ) {}
}

export async function startFakeS3(
  options: { bucket?: string | string[]; region?: string } = {},
): Promise<FakeS3> {
  const region = options.region ?? 'us-east-1';
  const buckets = new Map<string, Map<string, StoredObject>>();
  for (const name of [options.bucket ?? 'test-bucket'].flat()) buckets.set(name, new Map());
  const credentials = new Map<string, FakeCredentials>();
  const requests: RecordedS3Request[] = [];
  let failure: { status: number; remaining: number } | null = null;

  async function verify(req: IncomingMessage, url: URL, body: Buffer): Promise<void> {
    const auth = PARSE_AUTH.exec(req.headers.authorization ?? '');
    if (!auth) throw new S3Refusal(403, 'AccessDenied', 'Missing or malformed Authorization header');
    const [, accessKeyId, date, scopeRegion, service, signedHeaders, signature] = auth as unknown as string[];
    const known = credentials.get(accessKeyId!);
    if (!known)
      throw new S3Refusal(403, 'InvalidAccessKeyId', 'The AWS access key Id you provided does not exist.');
    if (service !== 's3' || scopeRegion !== region)
      throw new S3Refusal(
        400,
        'AuthorizationHeaderMalformed',
        `the region '${scopeRegion}' is wrong; expecting '${region}'`,
      );
    const signed = signedHeaders!.split(';');
    const missing = REQUIRED_SIGNED.filter((h) => !signed.includes(h));
    if (missing.length) throw new S3Refusal(403, 'AccessDenied', `Unsigned headers: ${missing.join(', ')}`);
    const datetime = String(req.headers['x-amz-date'] ?? '');
    if (datetime.slice(0, 8) !== date) throw new S3Refusal(403, 'SignatureDoesNotMatch', 'Date mismatch');
    if (known.sessionToken && req.headers['x-amz-security-token'] !== known.sessionToken)
      throw new S3Refusal(403, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
    if (known.sessionToken && !signed.includes('x-amz-security-token'))
      throw new S3Refusal(403, 'AccessDenied', 'x-amz-security-token must be signed');
    const payloadHash = String(req.headers['x-amz-content-sha256']);
    if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== createHash('sha256').update(body).digest('hex'))
      throw new S3Refusal(
        400,
        'XAmzContentSHA256Mismatch',
        'The provided x-amz-content-sha256 header does not match what was computed.',
      );
    const headers = new Headers();
    for (const name of signed) if (name !== 'host') headers.set(name, String(req.headers[name] ?? ''));
    const signer = new AwsV4Signer({
      method: req.method,
      url: `http://${req.headers.host}${url.pathname}${url.search}`,
      headers,
      accessKeyId: accessKeyId!,
      secretAccessKey: known.secretAccessKey,
      service: 's3',
      region,
      datetime,
      allHeaders: true,
    });
    const expected = await signer.signature();
    if (signer.signedHeaders !== signedHeaders || expected !== signature) {
      throw new S3Refusal(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        { AWSAccessKeyId: accessKeyId!, StringToSign: await signer.stringToSign() },
      );
    }
  }

  function operate(
    method: string,
    bucket: string,
    key: string,
    req: IncomingMessage,
    body: Buffer,
    res: ServerResponse,
  ) {
    const objects = buckets.get(bucket);
    if (!objects) throw new S3Refusal(404, 'NoSuchBucket', 'The specified bucket does not exist');
    if (!key) throw new S3Refusal(400, 'InvalidRequest', 'This fake serves objects only');
    if (method === 'PUT') {
      objects.set(key, { bytes: new Uint8Array(body), contentType: req.headers['content-type'] ?? null });
      res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"` }).end();
      return 200;
    }
    if (method === 'GET') {
      const found = objects.get(key);
      if (!found) throw new S3Refusal(404, 'NoSuchKey', 'The specified key does not exist.');
      res
        .writeHead(200, {
          'content-type': found.contentType ?? 'binary/octet-stream',
          'content-length': found.bytes.byteLength,
        })
        .end(Buffer.from(found.bytes));
      return 200;
    }
    if (method === 'DELETE') {
      objects.delete(key);
      res.writeHead(204).end();
      return 204;
    }
    throw new S3Refusal(
      405,
      'MethodNotAllowed',
      'The specified method is not allowed against this resource.',
    );
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const [, bucket = '', ...rest] = url.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const record = (status: number, code: string | null) =>
      requests.push({ method: req.method ?? '', path: url.pathname, headers, status, code });
    try {
      if (failure) {
        const { status } = failure;
        if (--failure.remaining <= 0) failure = null;
        throw new S3Refusal(
          status,
          status === 503 ? 'SlowDown' : 'InternalError',
          'We encountered an internal error. Please try again.',
        );
      }
      await verify(req, url, body);
      record(operate(req.method ?? '', bucket, key, req, body, res), null);
    } catch (err) {
      if (!(err instanceof S3Refusal)) throw err;
      const extra = Object.entries(err.extra)
        .map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`)
        .join('');
      res
        .writeHead(err.status, {
          'content-type': 'application/xml',
          'x-amz-request-id': `fake-${requests.length}`,
        })
        .end(
          `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${err.code}</Code><Message>${xmlEscape(err.message)}</Message>${extra}<Resource>${xmlEscape(url.pathname)}</Resource></Error>`,
        );
      record(err.status, err.code);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    region,
    requests,
    allow: (c) => credentials.set(c.accessKeyId, c),
    object: (bucket, key) => buckets.get(bucket)?.get(key),
    keys: (bucket) => [...(buckets.get(bucket)?.keys() ?? [])].sort(),
    fail(status, times = Number.POSITIVE_INFINITY) {
      failure = status === null ? null : { status, remaining: times };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
