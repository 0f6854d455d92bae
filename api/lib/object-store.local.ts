/**
 * Object store on the local disk: `<root>/<key>`, folders 0700 and files 0600 (owner only). A write goes
 * to a temporary file that is renamed into place, so a reader never sees half a file.
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from './errors';
import { assertObjectKey } from './object-key';
import type { ObjectStore } from './object-store';

const isMissing = (err: unknown) =>
  ['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException | null)?.code ?? '');

export class LocalObjectStore implements ObjectStore {
  readonly driver = 'local' as const;
  private readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** The file of a key; the key rule already forbids escaping, and this re-checks the resolved path. */
  pathOf(key: string): string {
    assertObjectKey(key);
    const file = path.resolve(this.root, key);
    if (!file.startsWith(this.root + path.sep)) {
      throw new AppError('bad_request:storage', 'Invalid object key', {
        details: { fields: { key: 'must stay inside the store' } },
      });
    }
    return file;
  }

  /** The content type is not kept: the attachment's row records it. */
  async put(key: string, bytes: Uint8Array, _options?: { contentType: string }): Promise<void> {
    const file = this.pathOf(key);
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, bytes, { mode: 0o600, flag: 'wx' });
      await chmod(temporary, 0o600);
      await rename(temporary, file);
    } catch (err) {
      await rm(temporary, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Uint8Array | null> {
    const file = this.pathOf(key);
    try {
      return new Uint8Array(await readFile(file));
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}
