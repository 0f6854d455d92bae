import { and, count, desc, eq, gt, inArray, isNotNull, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../../../db/client';
import { apiKeys, apiKeyUsage, users } from '../../../db/schema/index';
import type { CursorPosition } from '../../lib/cursor';
import { prepared } from '../../lib/prepared';
import { grantsColumns } from '../users/users.repo';

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type NewApiKeyRow = typeof apiKeys.$inferInsert;
export type ApiKeyUsageRow = typeof apiKeyUsage.$inferSelect;
export type NewApiKeyUsageRow = typeof apiKeyUsage.$inferInsert;
export type KeyStatus = 'active' | 'revoked' | 'expired';

const createdMs = sql`date_trunc('milliseconds', ${apiKeys.createdAt})`;

/** Not revoked and not expired at `now`. */
const isActive = (now: Date) =>
  and(isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)));

export async function insertKey(db: Queryable, row: NewApiKeyRow): Promise<ApiKeyRow> {
  const [created] = await db.insert(apiKeys).values(row).returning();
  return created!;
}

export async function countActiveKeys(db: Queryable, userId: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, userId), isActive(now)));
  return row?.n ?? 0;
}

/** Serialises key creation per user (the 10-key cap) by locking the owner's row until the transaction ends. */
export async function lockOwner(db: Queryable, userId: string): Promise<void> {
  await db.execute(sql`select 1 from ${users} where ${users.id} = ${userId} for update`);
}

export interface KeyOwner {
  user: typeof users.$inferSelect;
  roles: string[];
  capabilities: string[];
}

/** A key by prefix with its owner and the owner's grants, in one query (key resolution). */
export async function findKeyWithOwner(
  db: Queryable,
  prefix: string,
): Promise<{ key: ApiKeyRow; owner: KeyOwner } | undefined> {
  const query = prepared(db, 'api_key_with_owner', (d) =>
    d
      .select({ key: apiKeys, user: users, ...grantsColumns() })
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .where(eq(apiKeys.prefix, sql.placeholder('prefix')))
      .limit(1)
      .prepare('api_key_with_owner'),
  );
  const [row] = await query.execute({ prefix });
  return row && { key: row.key, owner: { user: row.user, roles: row.roles, capabilities: row.capabilities } };
}

export async function findKey(db: Queryable, id: string): Promise<ApiKeyRow | undefined> {
  const query = prepared(db, 'api_key_by_id', (d) =>
    d
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.id, sql.placeholder('id')))
      .limit(1)
      .prepare('api_key_by_id'),
  );
  const [row] = await query.execute({ id });
  return row;
}

export function listKeysOfUser(db: Queryable, userId: string): Promise<ApiKeyRow[]> {
  return db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.userId, userId))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

export interface KeyWithOwner extends ApiKeyRow {
  ownerEmail: string;
  ownerName: string;
}

/** The admin overview: every key, newest first, optionally one user's or one status. `limit + 1` rows. */
export async function listAllKeys(
  db: Queryable,
  input: { userId?: string; status?: KeyStatus; after?: CursorPosition; limit: number; now: Date },
): Promise<KeyWithOwner[]> {
  const { now } = input;
  const where: (SQL | undefined)[] = [];
  if (input.userId) where.push(eq(apiKeys.userId, input.userId));
  if (input.status === 'active') where.push(isActive(now));
  if (input.status === 'revoked') where.push(isNotNull(apiKeys.revokedAt));
  if (input.status === 'expired')
    where.push(and(isNull(apiKeys.revokedAt), isNotNull(apiKeys.expiresAt), lt(apiKeys.expiresAt, now)));
  if (input.after)
    where.push(
      sql`(${createdMs}, ${apiKeys.id}) < (${input.after.createdAt.toISOString()}::timestamptz, ${input.after.id}::uuid)`,
    );
  const rows = await db
    .select({ key: apiKeys, ownerEmail: users.email, ownerName: users.name })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(...where))
    .orderBy(desc(createdMs), desc(apiKeys.id))
    .limit(input.limit + 1);
  return rows.map((r) => ({ ...r.key, ownerEmail: r.ownerEmail, ownerName: r.ownerName }));
}

/** Sets revoked_at once; returns the row when this call revoked it (undefined if missing or already revoked). */
export async function revokeKey(
  db: Queryable,
  id: string,
  now: Date,
  ownerId?: string,
): Promise<ApiKeyRow | undefined> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(
      and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt), ownerId ? eq(apiKeys.userId, ownerId) : undefined),
    )
    .returning();
  return row;
}

/** Revokes every live key of a user (password change, reset, account re-enabled); returns how many. */
export async function revokeKeysOfUser(db: Queryable, userId: string, now: Date): Promise<number> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length;
}

/** How often last_used_at is rewritten per key at most (fewer row versions on a busy key). */
export const LAST_USED_RESOLUTION_MS = 60_000;
const LAST_USED_RESOLUTION = `${LAST_USED_RESOLUTION_MS} milliseconds`;

/** Sets last_used_at for several keys in one statement, skipping keys written less than a minute before. */
export async function touchLastUsed(db: Queryable, lastUsed: Map<string, Date>): Promise<void> {
  if (lastUsed.size === 0) return;
  const values = sql.join(
    [...lastUsed].map(([id, at]) => sql`(${id}::uuid, ${at.toISOString()}::timestamptz)`),
    sql`, `,
  );
  await db.execute(
    sql`update ${apiKeys} set last_used_at = v.at from (values ${values}) as v(id, at)
        where ${apiKeys.id} = v.id
          and (${apiKeys.lastUsedAt} is null or ${apiKeys.lastUsedAt} <= v.at - ${LAST_USED_RESOLUTION}::interval)`,
  );
}

/** Request-log rows by column (what the recorder buffers): the same index in each array is one request. */
export interface UsageColumns {
  keys: string[];
  endpoints: string[];
  methods: string[];
  statuses: number[];
  latencies: number[];
  /** When, in milliseconds since the epoch. */
  times: number[];
}

/**
 * A batch of request-log rows as one prepared statement: the columns travel as arrays (`unnest`, in order,
 * so ids keep time order), so the SQL text is built once whatever the batch size. drizzle's insert-select
 * names every column, the id first: its sequence is named as a constant (a `pg_get_serial_sequence` call
 * ran once per row), and times travel as epoch milliseconds (no timestamp text to parse per row). ADR 019.
 */
export async function insertUsage(db: Queryable, rows: UsageColumns): Promise<void> {
  if (!rows.keys.length) return;
  const insert = prepared(db, 'insert_api_key_usage', (d) =>
    d
      .insert(apiKeyUsage)
      .select(
        sql`select nextval('api_key_usage_id_seq'::regclass), k, e, m, s, l, to_timestamp(t / 1000) from unnest(${sql.placeholder('keys')}::uuid[], ${sql.placeholder('endpoints')}::text[], ${sql.placeholder('methods')}::text[], ${sql.placeholder('statuses')}::int[], ${sql.placeholder('latencies')}::int[], ${sql.placeholder('times')}::float8[]) as u(k, e, m, s, l, t)`,
      )
      .prepare('insert_api_key_usage'),
  );
  await insert.execute({ ...rows });
}

/** A key's request log, newest first (by id: rows are inserted in time order). `limit + 1` rows. */
export function listUsage(
  db: Queryable,
  input: { keyId: string; beforeId?: number; limit: number },
): Promise<ApiKeyUsageRow[]> {
  return db
    .select()
    .from(apiKeyUsage)
    .where(
      and(
        eq(apiKeyUsage.apiKeyId, input.keyId),
        input.beforeId !== undefined ? lt(apiKeyUsage.id, input.beforeId) : undefined,
      ),
    )
    .orderBy(desc(apiKeyUsage.id))
    .limit(input.limit + 1);
}

export interface UsageSummary {
  requests: number;
  errors: number;
}

/** Requests and 4xx/5xx answers per key since `since`, for a page of keys in one query. */
export async function usageSummaries(
  db: Queryable,
  keyIds: string[],
  since: Date,
): Promise<Map<string, UsageSummary>> {
  const out = new Map<string, UsageSummary>();
  if (keyIds.length === 0) return out;
  const rows = await db
    .select({
      keyId: apiKeyUsage.apiKeyId,
      requests: count(),
      errors: sql<number>`count(*) filter (where ${apiKeyUsage.status} >= 400)`.mapWith(Number),
    })
    .from(apiKeyUsage)
    .where(and(inArray(apiKeyUsage.apiKeyId, keyIds), gt(apiKeyUsage.createdAt, since)))
    .groupBy(apiKeyUsage.apiKeyId);
  for (const r of rows) out.set(r.keyId, { requests: r.requests, errors: r.errors });
  return out;
}
