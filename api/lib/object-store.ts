/**
 * Where uploaded files live: a small put/get/delete interface over two drivers — a folder under
 * DATA_DIR/uploads (object-store.local.ts) and an S3 bucket when S3_BUCKET is set (object-store.s3.ts).
 * Keys are chosen by the caller and checked here, so no driver ever sees `..`, an absolute path or an
 * empty segment. Decision record: docs/decisions/012-attachment-storage.md.
 */
import path from 'node:path';
import type { Config } from '../config';
import { credentialProviderFor } from './aws-credentials';
import type { Logger } from './logger';
import { LocalObjectStore } from './object-store.local';

export { assertObjectKey } from './object-key';

import { S3ObjectStore } from './object-store.s3';

export type ObjectStoreDriver = 'local' | 's3';

export interface ObjectStore {
  readonly driver: ObjectStoreDriver;
  put(key: string, bytes: Uint8Array, options: { contentType: string }): Promise<void>;
  /** The object's bytes, or null when nothing is stored under the key. */
  get(key: string): Promise<Uint8Array | null>;
  /** Removes the object; succeeds when it is already gone. */
  delete(key: string): Promise<void>;
}

/** The local folder always exists (earlier uploads stay readable); `primary` takes new objects. */
export interface ObjectStores {
  local: ObjectStore;
  s3: ObjectStore | null;
  primary: ObjectStore;
}

export interface ObjectStoreOptions {
  /** ECS container credentials origin (tests point it at a fake); default http://169.254.170.2. */
  containerCredentialsBase?: string;
  /** Retries of an S3 request answered 5xx or 429 (default 2). */
  s3Retries?: number;
  /** Clock for credential expiry (tests). */
  now?: () => number;
}

export function createObjectStores(
  config: Pick<Config, 'DATA_DIR' | 's3'>,
  log: Logger,
  options: ObjectStoreOptions = {},
): ObjectStores {
  const local = new LocalObjectStore(path.join(config.DATA_DIR, 'uploads'));
  if (!config.s3) return { local, s3: null, primary: local };
  const credentials = credentialProviderFor(config.s3.credentials, { ...options, log });
  const s3 = new S3ObjectStore({ ...config.s3, credentials, log, retries: options.s3Retries });
  return { local, s3, primary: s3 };
}
