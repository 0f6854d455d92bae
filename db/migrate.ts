/**
 * Applies db/migrations (drizzle-kit output) under a Postgres advisory lock, so instances starting together
 * take turns instead of racing; the later ones find nothing left to do.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import type { Sql } from 'postgres';
import type { Database } from './client';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
const LOCK_KEY = 7_351_002_201; // arbitrary, constant: "ai-studio migrations"

interface Journal {
  entries: { idx: number; tag: string; when: number }[];
}

function journal(): Journal {
  return JSON.parse(readFileSync(`${MIGRATIONS_DIR}/meta/_journal.json`, 'utf8')) as Journal;
}

export async function runMigrations(db: Database, sql: Sql): Promise<void> {
  const lock = await sql.reserve();
  try {
    await lock`select pg_advisory_lock(${LOCK_KEY})`;
    await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await lock`select pg_advisory_unlock(${LOCK_KEY})`.catch(() => {});
    lock.release();
  }
}

export interface MigrationStatus {
  expected: number;
  applied: number;
  pending: string[];
  upToDate: boolean;
}

export async function migrationStatus(sql: Sql): Promise<MigrationStatus> {
  const entries = journal().entries;
  let appliedAt: number[] = [];
  try {
    const rows = await sql<{ created_at: string }[]>`select created_at from drizzle.__drizzle_migrations`;
    appliedAt = rows.map((r) => Number(r.created_at));
  } catch {
    // no migrations table yet
  }
  const applied = new Set(appliedAt);
  const pending = entries.filter((e) => !applied.has(e.when)).map((e) => e.tag);
  return { expected: entries.length, applied: appliedAt.length, pending, upToDate: pending.length === 0 };
}
