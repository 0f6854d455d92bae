/**
 * Personal API keys for the public REST API (/api/v1) and their request log.
 * A key is `sk-` + 32 random bytes (base64url). Only its SHA-256 is stored (docs/decisions/011-public-api-keys-and-limits.md);
 * requests find the row by `prefix` (the key's first 12 characters, unique) and compare hashes in constant time.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  index,
  integer,
  pgTable,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './identity';

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    /** The key's first 12 characters (`sk-` + 9): shown in lists, used to find the row. */
    prefix: text().notNull().unique('api_keys_prefix_uq'),
    /** SHA-256 (hex) of the whole key. */
    hash: text().notNull(),
    /** Granted scopes (`chat`, `models:read`, … or `*`); the owner's capabilities narrow them further. */
    scopes: text().array().notNull().default(sql`'{}'::text[]`),
    rateLimitRpm: integer().notNull().default(60),
    expiresAt: timestamp({ withTimezone: true }),
    /** Written at most once a minute per key, not on every request. */
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('api_keys_user_idx').on(t.userId, t.createdAt),
    check('api_keys_rate_limit_ck', sql`${t.rateLimitRpm} > 0`),
  ],
);

/**
 * One row per request made with a key, written in batches off the request path. No foreign key: its check
 * ran per inserted row, about a third of the database's work for a logged request; a statement trigger on
 * api_keys deletes a deleted key's rows instead (migration 0023, ADR 019).
 */
export const apiKeyUsage = pgTable(
  'api_key_usage',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    apiKeyId: uuid().notNull(),
    /** The route pattern (`/api/v1/conversations/:id`), not the raw path: no ids or secrets in the log. */
    endpoint: text().notNull(),
    method: text().notNull(),
    status: smallint().notNull(),
    latencyMs: integer().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('api_key_usage_key_idx').on(t.apiKeyId, t.createdAt)],
);
