/** The one rule for object keys, shared by every object-store driver (api/lib/object-store.ts). */
import { AppError } from './errors';

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const MAX_KEY = 512;

/**
 * Throws unless `key` is relative path segments of [A-Za-z0-9._-], none empty, none starting with a dot
 * (so no `.`, `..`, hidden files, absolute paths or backslashes) — a key can never leave its store's root.
 */
export function assertObjectKey(key: string): void {
  const ok =
    typeof key === 'string' &&
    key.length > 0 &&
    key.length <= MAX_KEY &&
    key.split('/').every((segment) => SEGMENT.test(segment));
  if (!ok) {
    throw new AppError('bad_request:storage', 'Invalid object key', {
      details: { fields: { key: 'must be relative path segments of letters, digits, . _ -' } },
    });
  }
}
