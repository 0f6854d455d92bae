import { asc, eq } from 'drizzle-orm';
import type { Queryable } from '../../../db/client';
import { ssoProviders } from '../../../db/schema/sso';

export type SsoProviderRow = typeof ssoProviders.$inferSelect;
export type NewSsoProviderRow = typeof ssoProviders.$inferInsert;

export function listProviderRows(db: Queryable): Promise<SsoProviderRow[]> {
  return db.select().from(ssoProviders).orderBy(asc(ssoProviders.displayName), asc(ssoProviders.slug));
}

export function findProviderById(db: Queryable, id: string): Promise<SsoProviderRow | undefined> {
  return db.query.ssoProviders.findFirst({ where: eq(ssoProviders.id, id) });
}

export function findProviderBySlug(db: Queryable, slug: string): Promise<SsoProviderRow | undefined> {
  return db.query.ssoProviders.findFirst({ where: eq(ssoProviders.slug, slug) });
}

export async function insertProvider(db: Queryable, row: NewSsoProviderRow): Promise<SsoProviderRow> {
  const [created] = await db.insert(ssoProviders).values(row).returning();
  return created!;
}

export async function updateProvider(
  db: Queryable,
  id: string,
  patch: Partial<NewSsoProviderRow>,
): Promise<SsoProviderRow | undefined> {
  const [row] = await db
    .update(ssoProviders)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(ssoProviders.id, id))
    .returning();
  return row;
}

export async function deleteProvider(db: Queryable, id: string): Promise<SsoProviderRow | undefined> {
  const [row] = await db.delete(ssoProviders).where(eq(ssoProviders.id, id)).returning();
  return row;
}
