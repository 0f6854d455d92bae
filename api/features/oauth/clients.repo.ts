import { and, desc, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../../../db/client';
import { oauthClients, oauthGrants, users } from '../../../db/schema/index';

export type OAuthClientRow = typeof oauthClients.$inferSelect;
export type NewOAuthClientRow = typeof oauthClients.$inferInsert;

export async function insertClient(db: Queryable, row: NewOAuthClientRow): Promise<OAuthClientRow> {
  const [created] = await db.insert(oauthClients).values(row).returning();
  return created!;
}

export function findClient(db: Queryable, id: string): Promise<OAuthClientRow | undefined> {
  return db.query.oauthClients.findFirst({ where: eq(oauthClients.id, id) });
}

export interface ClientWithService extends OAuthClientRow {
  serviceUserEmail: string | null;
}

/** Every client (`id` given: that one) with its service account's e-mail, newest first. */
export async function listClients(db: Queryable, id?: string): Promise<ClientWithService[]> {
  const rows = await db
    .select({ client: oauthClients, email: users.email })
    .from(oauthClients)
    .leftJoin(users, eq(users.id, oauthClients.serviceUserId))
    .where(id === undefined ? undefined : eq(oauthClients.id, id))
    .orderBy(desc(oauthClients.createdAt), desc(oauthClients.id));
  return rows.map((r) => ({ ...r.client, serviceUserEmail: r.email }));
}

export async function updateClient(
  db: Queryable,
  id: string,
  patch: Partial<NewOAuthClientRow>,
): Promise<OAuthClientRow | undefined> {
  const [row] = await db
    .update(oauthClients)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(oauthClients.id, id))
    .returning();
  return row;
}

export async function deleteClient(db: Queryable, id: string): Promise<boolean> {
  const rows = await db
    .delete(oauthClients)
    .where(eq(oauthClients.id, id))
    .returning({ id: oauthClients.id });
  return rows.length > 0;
}

export async function touchClient(db: Queryable, id: string, now: Date): Promise<void> {
  await db.update(oauthClients).set({ lastUsedAt: now }).where(eq(oauthClients.id, id));
}

/**
 * Dynamically registered clients nobody used since `unusedSince` (last use, or registration when never
 * used) and holding no live grant. Returns the deleted ids.
 */
export async function deleteUnusedDynamicClients(
  db: Queryable,
  input: { unusedSince: Date; now: Date },
): Promise<string[]> {
  const liveGrant = sql`exists (select 1 from ${oauthGrants} g where g.client_id = ${oauthClients.id}
    and g.revoked_at is null and g.expires_at > ${input.now.toISOString()}::timestamptz)`;
  const rows = await db
    .delete(oauthClients)
    .where(
      and(
        eq(oauthClients.dynamic, true),
        sql`coalesce(${oauthClients.lastUsedAt}, ${oauthClients.createdAt}) < ${input.unusedSince.toISOString()}::timestamptz`,
        sql`not ${liveGrant}`,
      ),
    )
    .returning({ id: oauthClients.id });
  return rows.map((r) => r.id);
}
