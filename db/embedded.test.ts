/**
 * The embedded database's host (db/embedded.ts): PGlite in a thread of its own, reached through its socket.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { lockOwner, SOCKET_PORT, socketIsLive, socketPath, startEmbeddedHost } from './embedded';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aist-host-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the embedded database host', () => {
  it('serves the database from its thread and frees the socket and the lock when stopped', {
    timeout: 120_000,
  }, async () => {
    const dir = tempDir();
    const host = await startEmbeddedHost(dir);
    const sql = postgres({
      host: dir,
      port: SOCKET_PORT,
      username: 'postgres',
      database: 'postgres',
      max: 1,
    });
    try {
      await sql`create extension if not exists vector`; // pgvector is loaded in the thread
      const [row] = await sql<{ v: string }[]>`select '[1,2]'::vector(2)::text as v`;
      expect(row!.v).toBe('[1,2]');
      expect(await socketIsLive(dir)).toBe(true);
    } finally {
      await sql.end();
      await host.stop();
    }
    expect(existsSync(socketPath(dir))).toBe(false);
    expect(existsSync(path.join(dir, 'pglite.lock'))).toBe(false);
    expect(lockOwner(dir)).toBeNull();
  });

  it('reports a database that cannot open and leaves the data directory free', {
    timeout: 60_000,
  }, async () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'pgdata'), 'not a directory');
    await expect(startEmbeddedHost(dir)).rejects.toThrow(/.+/);
    expect(existsSync(path.join(dir, 'pglite.lock'))).toBe(false);
    expect(existsSync(socketPath(dir))).toBe(false);
  });
});
