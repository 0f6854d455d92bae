import { boolean, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Admin-editable settings. Secret values are stored AES-256-GCM encrypted (api/lib/crypto.ts). */
export const settings = pgTable('settings', {
  key: text().primaryKey(),
  value: text().notNull(),
  category: text().notNull().default('general'),
  isSecret: boolean().notNull().default(false),
  description: text(),
  updatedBy: uuid(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
