/**
 * Object store on Amazon S3 (or an S3-compatible server) over fetch, with SigV4 signatures from aws4fetch.
 * Keys live under the configured prefix. AWS: virtual-hosted URLs (`https://<bucket>.s3.<region>.amazonaws.com`,
 * path-style for dotted bucket names, which break the TLS wildcard); S3_ENDPOINT: path-style
 * `<endpoint>/<bucket>/<key>`. Any answer S3 gives other than success (or 404 on read/delete) becomes 503
 * `unavailable:storage`; only S3's error code is logged and shown — its error body can echo the access key
 * id and the string to sign, so it is never passed on.
 */
import { createHash } from 'node:crypto';
import { AwsClient } from 'aws4fetch';
import type { S3StoreConfig } from '../config';
import type { CredentialProvider } from './aws-credentials';
import { AppError } from './errors';
import type { Logger } from './logger';
import { assertObjectKey } from './object-key';
import type { ObjectStore } from './object-store';

const TIMEOUT_MS = 30_000;

export interface S3ObjectStoreOptions extends Omit<S3StoreConfig, 'credentials'> {
  credentials: CredentialProvider;
  log: Logger;
  /** Retries of a request answered 5xx or 429 (aws4fetch backs off between them). */
  retries?: number;
}

type Operation = 'put' | 'get' | 'delete';

export class S3ObjectStore implements ObjectStore {
  readonly driver = 's3' as const;

  constructor(private readonly options: S3ObjectStoreOptions) {}

  /** The request URL of a key (the prefix added). */
  urlOf(key: string): string {
    assertObjectKey(key);
    const { bucket, region, endpoint, prefix } = this.options;
    const objectKey = `${prefix}${key}`;
    if (endpoint) return `${endpoint}/${bucket}/${objectKey}`;
    if (bucket.includes('.')) return `https://s3.${region}.amazonaws.com/${bucket}/${objectKey}`;
    return `https://${bucket}.s3.${region}.amazonaws.com/${objectKey}`;
  }

  async put(key: string, bytes: Uint8Array, options: { contentType: string }): Promise<void> {
    const res = await this.send('put', key, {
      method: 'PUT',
      body: bytes as Uint8Array<ArrayBuffer>,
      headers: {
        'content-type': options.contentType,
        // A signed payload hash: S3 refuses the upload if the bytes arrive changed.
        'x-amz-content-sha256': createHash('sha256').update(bytes).digest('hex'),
      },
    });
    if (!res.ok) throw await this.failure('put', key, res);
    await res.body?.cancel();
  }

  async get(key: string): Promise<Uint8Array | null> {
    const res = await this.send('get', key, { method: 'GET' });
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    if (!res.ok) throw await this.failure('get', key, res);
    return new Uint8Array(await res.arrayBuffer());
  }

  async delete(key: string): Promise<void> {
    const res = await this.send('delete', key, { method: 'DELETE' });
    if (!res.ok && res.status !== 404) throw await this.failure('delete', key, res);
    await res.body?.cancel();
  }

  private async send(operation: Operation, key: string, init: RequestInit): Promise<Response> {
    const url = this.urlOf(key);
    const credentials = await this.options.credentials.get();
    const client = new AwsClient({
      ...credentials,
      service: 's3',
      region: this.options.region,
      retries: this.options.retries ?? 2,
    });
    try {
      return await client.fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      this.options.log.warn(
        { operation, bucket: this.options.bucket, objectKey: key, reason: (err as Error).name },
        'object store unreachable',
      );
      throw new AppError(
        'unavailable:storage',
        'File storage is unreachable right now. Try again later or tell an administrator.',
        { cause: new Error(`S3 ${operation} failed: ${(err as Error).name}`) },
      );
    }
  }

  private async failure(operation: Operation, key: string, res: Response): Promise<AppError> {
    const body = await res.text().catch(() => '');
    const code = /<Code>([A-Za-z0-9.]{1,100})<\/Code>/.exec(body)?.[1] ?? null;
    const requestId = res.headers.get('x-amz-request-id');
    this.options.log.warn(
      {
        operation,
        bucket: this.options.bucket,
        objectKey: key,
        status: res.status,
        s3Code: code,
        s3RequestId: requestId,
      },
      'object store refused a request',
    );
    const answered = `S3 answered ${res.status}${code ? ` ${code}` : ''}`;
    return new AppError(
      'unavailable:storage',
      `File storage is unavailable right now (${answered}). Try again later or tell an administrator.`,
      { details: { status: res.status, code }, cause: new Error(`S3 ${operation}: ${answered}`) },
    );
  }
}
