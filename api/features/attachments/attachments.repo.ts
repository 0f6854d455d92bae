import { and, asc, eq, inArray, lt } from 'drizzle-orm';
import type { Queryable } from '../../../db/client';
import { type AttachmentStorage, chatAttachments } from '../../../db/schema/index';

export type AttachmentRow = typeof chatAttachments.$inferSelect;
export type NewAttachmentRow = typeof chatAttachments.$inferInsert;

export async function insertAttachment(db: Queryable, row: NewAttachmentRow): Promise<AttachmentRow> {
  const [created] = await db.insert(chatAttachments).values(row).returning();
  return created!;
}

/** The attachment when `userId` owns it; undefined otherwise (others cannot tell it exists). */
export function findOwnAttachment(
  db: Queryable,
  id: string,
  userId: string,
): Promise<AttachmentRow | undefined> {
  return db.query.chatAttachments.findFirst({
    where: and(eq(chatAttachments.id, id), eq(chatAttachments.userId, userId)),
  });
}

/** The oldest attachments in these stores created before `cutoff`, at most `limit`. */
export function listAttachmentsBefore(
  db: Queryable,
  f: { cutoff: Date; storages: AttachmentStorage[]; limit: number },
): Promise<AttachmentRow[]> {
  return db
    .select()
    .from(chatAttachments)
    .where(and(lt(chatAttachments.createdAt, f.cutoff), inArray(chatAttachments.storage, f.storages)))
    .orderBy(asc(chatAttachments.createdAt))
    .limit(f.limit);
}

export async function deleteAttachment(db: Queryable, id: string): Promise<boolean> {
  const rows = await db
    .delete(chatAttachments)
    .where(eq(chatAttachments.id, id))
    .returning({ id: chatAttachments.id });
  return rows.length > 0;
}
