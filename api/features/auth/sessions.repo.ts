import { and, desc, eq, gt, lt, ne } from 'drizzle-orm';
import type { Queryable } from '../../../db/client';
import { sessions, users } from '../../../db/schema/index';

export type SessionRow = typeof sessions.$inferSelect;
export type UserRow = typeof users.$inferSelect;

export async function insertSession(
  db: Queryable,
  values: typeof sessions.$inferInsert,
): Promise<SessionRow> {
  const [row] = await db.insert(sessions).values(values).returning();
  return row!;
}

/** The live session for a token hash and its (active) user, or nothing. */
export async function findLiveSession(
  db: Queryable,
  tokenHash: string,
  now: Date,
): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now), eq(users.status, 'active')))
    .limit(1);
  return row;
}

export async function extendSession(db: Queryable, id: string, now: Date, expiresAt: Date): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: now, expiresAt }).where(eq(sessions.id, id));
}

export function listSessionsOfUser(db: Queryable, userId: string, now: Date): Promise<SessionRow[]> {
  return db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.lastSeenAt));
}

export async function deleteSession(db: Queryable, id: string, userId?: string): Promise<boolean> {
  const where = userId ? and(eq(sessions.id, id), eq(sessions.userId, userId)) : eq(sessions.id, id);
  const rows = await db.delete(sessions).where(where).returning({ id: sessions.id });
  return rows.length > 0;
}

export async function deleteSessionByHash(db: Queryable, tokenHash: string): Promise<SessionRow | undefined> {
  const [row] = await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash)).returning();
  return row;
}

/** Deletes every session of a user, except `keepId` when given; returns how many went. */
export async function deleteSessionsOfUser(db: Queryable, userId: string, keepId?: string): Promise<number> {
  const where = keepId
    ? and(eq(sessions.userId, userId), ne(sessions.id, keepId))
    : eq(sessions.userId, userId);
  const rows = await db.delete(sessions).where(where).returning({ id: sessions.id });
  return rows.length;
}

export async function deleteExpiredSessions(db: Queryable, now: Date): Promise<number> {
  const rows = await db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.id });
  return rows.length;
}
