/**
 * The embedded server keeps Postgres's buffers small (db/embedded.ts, ADR 020) while the data directory's
 * own postgresql.conf (time zone, text search configuration) still applies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type DbHandle, openDatabase } from './client';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'aist-embedded-mem-'));
let handle: DbHandle | undefined;
afterAll(async () => {
  await handle?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('embedded database memory settings', () => {
  it('runs with 16 MB of shared buffers and 8 MB for maintenance, keeping postgresql.conf', {
    timeout: 120_000,
  }, async () => {
    handle = await openDatabase({ dataDir, role: 'host' });
    const show = async (name: string) =>
      Object.values(((await handle!.sql.unsafe(`show ${name}`)) as unknown as object[])[0]!)[0];
    expect(await show('shared_buffers')).toBe('16MB');
    expect(await show('maintenance_work_mem')).toBe('8MB');
    expect(await show('timezone')).toBe('UTC');
    expect(await show('default_text_search_config')).toBe('pg_catalog.english');
  });
});
