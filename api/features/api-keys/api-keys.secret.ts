/**
 * The key format: `sk-` + 32 random bytes in base64url (43 characters) — 256 bits, so a fast hash is enough
 * (docs/decisions/011-public-api-keys-and-limits.md). The first 12 characters are the public prefix used to find the row.
 */
import { randomBytes } from 'node:crypto';
import { sha256 } from '../../lib/crypto';

export const KEY_PREFIX = 'sk-';
const RANDOM_BYTES = 32;
export const PREFIX_LENGTH = 12;
const KEY_PATTERN = /^sk-[A-Za-z0-9_-]{43}$/;

export interface NewSecret {
  key: string;
  prefix: string;
  hash: string;
}

export function generateKey(): NewSecret {
  const key = `${KEY_PREFIX}${randomBytes(RANDOM_BYTES).toString('base64url')}`;
  return { key, prefix: key.slice(0, PREFIX_LENGTH), hash: sha256(key) };
}

/** Cheap syntactic check before touching the database. */
export const looksLikeKey = (token: string): boolean => KEY_PATTERN.test(token);

export const prefixOf = (key: string): string => key.slice(0, PREFIX_LENGTH);
