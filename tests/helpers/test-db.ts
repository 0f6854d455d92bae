/**
 * A migrated database per test file. Default: PGlite loaded from the dumped template (~1 s) and served on
 * its own unix socket, reached with postgres.js exactly as the server reaches the embedded database.
 * In the `postgres` vitest project: a fresh database cloned from the template on TEST_DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import postgres from 'postgres';
import { inject } from 'vitest';
import { type ConnectionTarget, connect, type DbHandle } from '../../db/client';
import { databaseUrlFor, servePglite } from './template';

export type TestEngine = 'pglite' | 'postgres';

export const testEngine = (): TestEngine =>
  process.env.TEST_DB_ENGINE === 'postgres' ? 'postgres' : 'pglite';

export async function createTestDatabase(): Promise<DbHandle> {
  return testEngine() === 'postgres' ? createPostgresDatabase() : createPgliteDatabase();
}

async function createPgliteDatabase(): Promise<DbHandle> {
  const dump = readFileSync(inject('pgliteTemplate'));
  const pg = await PGlite.create({ loadDataDir: new Blob([dump]), extensions: { vector } });
  const served = await servePglite(pg);
  const target: ConnectionTarget = { kind: 'socket', socketDir: served.socketDir };
  const { db, sql } = connect(target, { max: 10 });
  return {
    db,
    sql,
    target,
    mode: 'embedded',
    listen: null,
    async close() {
      await sql.end({ timeout: 1 });
      await served.stop();
      await pg.close();
    },
  };
}

async function createPostgresDatabase(): Promise<DbHandle> {
  const base = process.env.TEST_DATABASE_URL;
  const template = inject('postgresTemplate');
  if (!base || !template) throw new Error('TEST_DATABASE_URL is set but no template database was built');
  const name = `${template}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}" template "${template}"`);
  const target: ConnectionTarget = { kind: 'url', url: databaseUrlFor(base, name) };
  const { db, sql } = connect(target, { max: 10 });
  return {
    db,
    sql,
    target,
    mode: 'postgres',
    listen: async (channel, onPayload) => {
      const sub = await sql.listen(channel, onPayload);
      return () => sub.unlisten();
    },
    async close() {
      await sql.end({ timeout: 1 });
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}
