/** Grants (token families), authorization codes, refresh tokens and consents. Secrets arrive hashed. */
import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Queryable } from '../../../db/client';
import {
  oauthAuthorizationCodes,
  oauthClients,
  oauthConsents,
  oauthGrants,
  oauthRefreshTokens,
  sessions,
} from '../../../db/schema/index';

export type GrantRow = typeof oauthGrants.$inferSelect;
export type CodeRow = typeof oauthAuthorizationCodes.$inferSelect;
export type RefreshRow = typeof oauthRefreshTokens.$inferSelect;
export type ConsentRow = typeof oauthConsents.$inferSelect;

// ——— grants ———

export async function insertGrant(db: Queryable, row: typeof oauthGrants.$inferInsert): Promise<GrantRow> {
  const [created] = await db.insert(oauthGrants).values(row).returning();
  return created!;
}

export function findGrant(db: Queryable, id: string): Promise<GrantRow | undefined> {
  return db.query.oauthGrants.findFirst({ where: eq(oauthGrants.id, id) });
}

/** Revokes a live grant and its refresh tokens; returns it when this call revoked it. */
export async function revokeGrant(
  db: Queryable,
  id: string,
  reason: string,
  now: Date,
): Promise<GrantRow | undefined> {
  const [row] = await db
    .update(oauthGrants)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(oauthGrants.id, id), isNull(oauthGrants.revokedAt)))
    .returning();
  await db
    .update(oauthRefreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(oauthRefreshTokens.grantId, id), isNull(oauthRefreshTokens.revokedAt)));
  return row;
}

/** Revokes every live grant of one person for one client ("Connected apps" → Disconnect). */
export async function revokeGrantsOf(
  db: Queryable,
  input: { userId: string; clientId: string; reason: string; now: Date },
): Promise<number> {
  const rows = await db
    .update(oauthGrants)
    .set({ revokedAt: input.now, revokedReason: input.reason })
    .where(
      and(
        eq(oauthGrants.userId, input.userId),
        eq(oauthGrants.clientId, input.clientId),
        isNull(oauthGrants.revokedAt),
      ),
    )
    .returning({ id: oauthGrants.id });
  await db
    .update(oauthRefreshTokens)
    .set({ revokedAt: input.now })
    .where(
      and(
        isNull(oauthRefreshTokens.revokedAt),
        sql`${oauthRefreshTokens.grantId} in (select id from ${oauthGrants} where ${oauthGrants.userId} = ${input.userId} and ${oauthGrants.clientId} = ${input.clientId})`,
      ),
    );
  return rows.length;
}

// ——— authorization codes ———

export async function insertCode(
  db: Queryable,
  row: typeof oauthAuthorizationCodes.$inferInsert,
): Promise<void> {
  await db.insert(oauthAuthorizationCodes).values(row);
}

/** Marks the code used in one statement: exactly one caller gets the row, however many race. */
export async function consumeCode(db: Queryable, codeHash: string, now: Date): Promise<CodeRow | undefined> {
  const [row] = await db
    .update(oauthAuthorizationCodes)
    .set({ consumedAt: now })
    .where(and(eq(oauthAuthorizationCodes.codeHash, codeHash), isNull(oauthAuthorizationCodes.consumedAt)))
    .returning();
  return row;
}

export function findCode(db: Queryable, codeHash: string): Promise<CodeRow | undefined> {
  return db.query.oauthAuthorizationCodes.findFirst({
    where: eq(oauthAuthorizationCodes.codeHash, codeHash),
  });
}

export async function setCodeGrant(db: Queryable, codeHash: string, grantId: string): Promise<void> {
  await db
    .update(oauthAuthorizationCodes)
    .set({ grantId })
    .where(eq(oauthAuthorizationCodes.codeHash, codeHash));
}

export async function deleteExpiredCodes(db: Queryable, before: Date): Promise<number> {
  const rows = await db
    .delete(oauthAuthorizationCodes)
    .where(lt(oauthAuthorizationCodes.expiresAt, before))
    .returning({ h: oauthAuthorizationCodes.codeHash });
  return rows.length;
}

// ——— refresh tokens ———

export async function insertRefreshToken(
  db: Queryable,
  row: typeof oauthRefreshTokens.$inferInsert,
): Promise<void> {
  await db.insert(oauthRefreshTokens).values(row);
}

export function findRefreshToken(db: Queryable, tokenHash: string): Promise<RefreshRow | undefined> {
  return db.query.oauthRefreshTokens.findFirst({ where: eq(oauthRefreshTokens.tokenHash, tokenHash) });
}

/** Rotation: marks the token used in one statement (only one concurrent refresh wins). */
export async function useRefreshToken(
  db: Queryable,
  tokenHash: string,
  now: Date,
): Promise<RefreshRow | undefined> {
  const [row] = await db
    .update(oauthRefreshTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(oauthRefreshTokens.tokenHash, tokenHash),
        isNull(oauthRefreshTokens.usedAt),
        isNull(oauthRefreshTokens.revokedAt),
      ),
    )
    .returning();
  return row;
}

// ——— consents ———

export function findConsent(
  db: Queryable,
  userId: string,
  clientId: string,
): Promise<ConsentRow | undefined> {
  return db.query.oauthConsents.findFirst({
    where: and(eq(oauthConsents.userId, userId), eq(oauthConsents.clientId, clientId)),
  });
}

export async function upsertConsent(
  db: Queryable,
  input: { userId: string; clientId: string; scopes: string[]; now: Date },
): Promise<void> {
  await db
    .insert(oauthConsents)
    .values({ userId: input.userId, clientId: input.clientId, scopes: input.scopes })
    .onConflictDoUpdate({
      target: [oauthConsents.userId, oauthConsents.clientId],
      set: { scopes: input.scopes, updatedAt: input.now },
    });
}

export async function deleteConsent(db: Queryable, userId: string, clientId: string): Promise<boolean> {
  const rows = await db
    .delete(oauthConsents)
    .where(and(eq(oauthConsents.userId, userId), eq(oauthConsents.clientId, clientId)))
    .returning({ id: oauthConsents.id });
  return rows.length > 0;
}

export interface ConnectedAppRow {
  clientId: string;
  clientName: string;
  scopes: string[];
  consentedAt: Date;
  lastUsedAt: Date | null;
  activeGrants: number;
}

/** A person's consents with their client and how many live grants each has. */
export async function listConnectedApps(
  db: Queryable,
  userId: string,
  now: Date,
): Promise<ConnectedAppRow[]> {
  const rows = await db
    .select({
      clientId: oauthConsents.clientId,
      clientName: oauthClients.name,
      scopes: oauthConsents.scopes,
      consentedAt: oauthConsents.updatedAt,
      lastUsedAt: oauthClients.lastUsedAt,
      activeGrants: sql<number>`(select count(*) from ${oauthGrants} g where g.user_id = ${userId}
        and g.client_id = ${oauthConsents.clientId} and g.revoked_at is null
        and g.expires_at > ${now.toISOString()}::timestamptz)`.mapWith(Number),
    })
    .from(oauthConsents)
    .innerJoin(oauthClients, eq(oauthClients.id, oauthConsents.clientId))
    .where(eq(oauthConsents.userId, userId))
    .orderBy(desc(oauthConsents.updatedAt));
  return rows;
}

/** Live grants of one client (admin view). */
export async function countLiveGrants(db: Queryable, clientId: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(oauthGrants)
    .where(
      and(eq(oauthGrants.clientId, clientId), isNull(oauthGrants.revokedAt), gt(oauthGrants.expiresAt, now)),
    );
  return row?.n ?? 0;
}

/** When a browser session began (OIDC `auth_time`). */
export async function sessionStartedAt(db: Queryable, sessionId: string): Promise<Date | undefined> {
  const row = await db.query.sessions.findFirst({
    where: eq(sessions.id, sessionId),
    columns: { createdAt: true },
  });
  return row?.createdAt;
}
