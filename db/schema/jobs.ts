import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Progress reported by running jobs (pg-boss keeps state; this keeps the human-facing progress). */
export const jobProgress = pgTable('job_progress', {
  jobId: uuid().primaryKey(),
  queue: text().notNull(),
  percent: integer().notNull().default(0),
  message: text(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
