/**
 * Builds the migrated database templates once per run: a PGlite data-dir dump (cached on disk by a hash of
 * the migrations) and, with TEST_DATABASE_URL, a template database on that server.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import postgres from 'postgres';
import { connect } from '../../db/client';
import { socketPath } from '../../db/embedded';
import { MIGRATIONS_DIR, runMigrations } from '../../db/migrate';
import { servePgliteSocket } from '../../db/pglite-server.mjs';
import { seed } from '../../db/seed';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CACHE_DIR = path.join(ROOT, '.cache', 'test-db');

function migrationsHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(entry.name).update(readFileSync(full));
    }
  };
  walk(MIGRATIONS_DIR);
  for (const f of ['db/seed.ts']) hash.update(readFileSync(path.join(ROOT, f)));
  const seeds = path.join(ROOT, 'db', 'seeds');
  if (existsSync(seeds)) walk(seeds);
  return hash.digest('hex').slice(0, 16);
}

/** Serves a PGlite on a fresh unix socket folder; returns the folder and a stop function. */
export async function servePglite(pg: PGlite): Promise<{ socketDir: string; stop(): Promise<void> }> {
  const socketDir = mkdtempSync(path.join(os.tmpdir(), 'aist-'));
  const server = await servePgliteSocket(pg, { path: socketPath(socketDir), maxConnections: 100 });
  return {
    socketDir,
    async stop() {
      await server.stop();
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

export async function buildPgliteTemplate(): Promise<string> {
  const file = path.join(CACHE_DIR, `template-${migrationsHash()}.tar.gz`);
  if (existsSync(file)) return file;
  mkdirSync(CACHE_DIR, { recursive: true });
  const pg = await PGlite.create({ extensions: { vector } });
  const served = await servePglite(pg);
  const { db, sql } = connect({ kind: 'socket', socketDir: served.socketDir }, { max: 2 });
  await runMigrations(db, sql);
  await seed(db);
  await sql.end();
  await served.stop();
  const dump = await pg.dumpDataDir('gzip');
  await pg.close();
  const tmp = `${file}.${process.pid}`;
  writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  renameSync(tmp, file); // atomic: parallel runs never read a half-written template
  return file;
}

export function databaseUrlFor(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates and migrates `aistudio_tpl_<run>` on TEST_DATABASE_URL's server; returns its name and a dropper. */
export async function buildPostgresTemplate(
  baseUrl: string,
): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `aistudio_tpl_${process.pid}_${Date.now().toString(36)}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const { db, sql } = connect({ kind: 'url', url: databaseUrlFor(baseUrl, name) }, { max: 2 });
  try {
    await runMigrations(db, sql);
    await seed(db);
  } finally {
    await sql.end();
  }
  return {
    name,
    async drop() {
      const leftovers = await admin<{ datname: string }[]>`
        select datname from pg_database where datname like ${`${name}_%`} or datname = ${name}`;
      for (const { datname } of leftovers)
        await admin.unsafe(`drop database if exists "${datname}" with (force)`);
      await admin.end();
    },
  };
}
