/**
 * Chat attachments as stored files: one row per upload, pointing at an object in the object store (the
 * local DATA_DIR/uploads folder or an S3 bucket, api/lib/object-store.ts). The row is written after the
 * object; the nightly attachment-retention job deletes both by age.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './identity';

export const ATTACHMENT_STORAGES = ['local', 's3'] as const;
export type AttachmentStorage = (typeof ATTACHMENT_STORAGES)[number];
export const ATTACHMENT_KINDS = ['image', 'document'] as const;
export type AttachmentKindValue = (typeof ATTACHMENT_KINDS)[number];

export const chatAttachments = pgTable(
  'chat_attachments',
  {
    /** Chosen by the service before the object is written (the storage key contains it). */
    id: uuid().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Which driver holds the object; a row keeps its driver even if the deployment later switches. */
    storage: text().$type<AttachmentStorage>().notNull(),
    /** The object's key inside that store (without the S3_PREFIX, which the S3 driver adds). */
    storageKey: text().notNull(),
    filename: text().notNull(),
    mediaType: text().notNull(),
    kind: text().$type<AttachmentKindValue>().notNull(),
    sizeBytes: integer().notNull(),
    /** Hex SHA-256 of the stored bytes. */
    sha256: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('chat_attachments_user_idx').on(t.userId, t.createdAt),
    index('chat_attachments_created_at_idx').on(t.createdAt),
    check('chat_attachments_storage_ck', sql`${t.storage} in ('local', 's3')`),
    check('chat_attachments_kind_ck', sql`${t.kind} in ('image', 'document')`),
    check('chat_attachments_size_ck', sql`${t.sizeBytes} >= 0`),
  ],
);
