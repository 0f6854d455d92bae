import { asc, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../../../db/client';
import { settings } from '../../../db/schema/index';

export type SettingRow = typeof settings.$inferSelect;

export function findSetting(db: Queryable, key: string): Promise<SettingRow | undefined> {
  return db.query.settings.findFirst({ where: eq(settings.key, key) });
}

export function listSettingRows(db: Queryable): Promise<SettingRow[]> {
  return db.select().from(settings).orderBy(asc(settings.key));
}

export async function upsertSetting(
  db: Queryable,
  row: Pick<SettingRow, 'key' | 'value' | 'category' | 'isSecret' | 'description' | 'updatedBy'>,
): Promise<void> {
  await db
    .insert(settings)
    .values({ ...row, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: settings.key,
      set: { value: row.value, isSecret: row.isSecret, updatedBy: row.updatedBy, updatedAt: new Date() },
    });
}

export async function deleteSetting(db: Queryable, key: string): Promise<boolean> {
  const rows = await db.delete(settings).where(eq(settings.key, key)).returning({ key: settings.key });
  return rows.length > 0;
}

/** Changes whenever a row is written or deleted: the newest write time and the row count. */
export async function settingsFingerprint(db: Queryable): Promise<string> {
  const [row] = await db
    .select({
      latest: sql<string>`coalesce(max(${settings.updatedAt})::text, '')`,
      count: sql<number>`count(*)`,
    })
    .from(settings);
  return `${row?.latest}|${row?.count}`;
}
