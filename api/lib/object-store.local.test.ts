import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors';
import { createLogger } from './logger';
import { assertObjectKey, createObjectStores } from './object-store';
import { LocalObjectStore } from './object-store.local';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'aist-store-'));
const bytes = (text: string) => new TextEncoder().encode(text);

const ESCAPING_KEYS = [
  '../outside.txt',
  'user/../../outside.txt',
  '/etc/passwd',
  'user/..',
  '..',
  '.',
  './file',
  'user/.hidden',
  'user//file',
  'user/',
  '',
  'user\\..\\..\\outside.txt',
  'C:\\Windows\\win.ini',
  'user/file\0.txt',
  'user/%2e%2e/outside',
  `a/${'b'.repeat(600)}`,
];

describe('object keys', () => {
  it('accepts relative path segments of letters, digits, . _ -', () => {
    for (const key of ['a', 'user-1/5f0c.pdf', 'A_b/c.d-e/f.tar.gz', '0/1/2/3']) {
      expect(() => assertObjectKey(key), key).not.toThrow();
    }
  });

  it.each(ESCAPING_KEYS)('refuses %j', (key) => {
    expect(() => assertObjectKey(key)).toThrow(AppError);
    try {
      assertObjectKey(key);
    } catch (err) {
      expect((err as AppError).code).toBe('bad_request:storage');
      expect((err as AppError).status).toBe(400);
    }
  });
});

describe('local object store', () => {
  it('writes owner-only folders and files, reads them back, deletes them', async () => {
    const root = path.join(tmp(), 'uploads');
    const store = new LocalObjectStore(root);
    await store.put('user-1/a.pdf', bytes('%PDF-1.7 hello'), { contentType: 'application/pdf' });
    const file = path.join(root, 'user-1', 'a.pdf');
    expect(readFileSync(file, 'utf8')).toBe('%PDF-1.7 hello');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(root, 'user-1')).mode & 0o777).toBe(0o700);
    expect(statSync(root).mode & 0o777).toBe(0o700);
    // No temporary files left behind.
    expect(readdirSync(path.join(root, 'user-1'))).toEqual(['a.pdf']);
    expect(new TextDecoder().decode((await store.get('user-1/a.pdf'))!)).toBe('%PDF-1.7 hello');

    await store.put('user-1/a.pdf', bytes('replaced'), { contentType: 'application/pdf' });
    expect(readFileSync(file, 'utf8')).toBe('replaced');

    await store.delete('user-1/a.pdf');
    expect(existsSync(file)).toBe(false);
    expect(await store.get('user-1/a.pdf')).toBeNull();
    await expect(store.delete('user-1/a.pdf')).resolves.toBeUndefined();
    expect(await store.get('nobody/never.txt')).toBeNull();
  });

  it('refuses keys that would leave its folder, for every operation, and touches nothing outside', async () => {
    const base = tmp();
    const root = path.join(base, 'uploads');
    writeFileSync(path.join(base, 'outside.txt'), 'keep me');
    const store = new LocalObjectStore(root);
    for (const key of ESCAPING_KEYS) {
      await expect(store.put(key, bytes('x'), { contentType: 'text/plain' }), key).rejects.toThrow(
        'Invalid object key',
      );
      await expect(store.get(key), key).rejects.toThrow('Invalid object key');
      await expect(store.delete(key), key).rejects.toThrow('Invalid object key');
    }
    expect(readFileSync(path.join(base, 'outside.txt'), 'utf8')).toBe('keep me');
    expect(readdirSync(base)).toEqual(['outside.txt']);
  });

  it('is the primary store unless S3 is configured', () => {
    const dir = tmp();
    const stores = createObjectStores({ DATA_DIR: dir, s3: null }, createLogger({ level: 'silent' }));
    expect(stores.primary.driver).toBe('local');
    expect(stores.s3).toBeNull();
    expect((stores.local as LocalObjectStore).pathOf('u/f.txt')).toBe(
      path.join(dir, 'uploads', 'u', 'f.txt'),
    );
  });
});
