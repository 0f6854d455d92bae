/**
 * Our server as a benchmark target: a scratch database (a new Postgres database when a base URL is given,
 * else a fresh embedded data directory), tests/bench/api-server.ts spawned on it in production mode, and
 * `seed()` to write people, keys and models straight to that database (the CLI's path) through the services.
 * `root` runs another checkout's server (e.g. main exported next to this tree) for before/after runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { parseConfig } from '../../api/config';
import { type Ctx, createCtx, systemActor } from '../../api/lib/ctx';
import { createLogger } from '../../api/lib/logger';
import { createServices, type Services } from '../../api/services';
import { openDatabase } from '../../db/client';
import { freePort, type Spawned, spawnEntry, waitForHttp } from '../helpers/processes';
import { databaseUrlFor } from '../helpers/template';

const BENCH_SECRET = 'bench-secret-bench-secret-bench-secret-0123';

export interface BenchServer {
  mode: 'postgres' | 'embedded';
  server: Spawned;
  base: string;
  /** Runs `fn` with services on the server's database (a second client), as the system actor. */
  seed<T>(fn: (services: Services, ctx: Ctx) => Promise<T>): Promise<T>;
  cleanup(): Promise<void>;
}

/**
 * The Postgres server benchmarks use when one is configured (a scratch database is created on it and
 * dropped), else null (embedded database).
 */
export const benchPostgresUrl = (): string | null =>
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? null;

export interface BenchServerOptions {
  postgresUrl?: string | null;
  root?: string;
  env?: Record<string, string>;
  /** The entry to spawn: the API alone (default) or the real `api/server.ts` (needs the web build). */
  entry?: string;
}

export async function startBenchServer(options: BenchServerOptions = {}): Promise<BenchServer> {
  const baseUrl = options.postgresUrl ?? null;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'aist-bench-'));
  let databaseUrl: string | undefined;
  let dropDb = async () => {};
  if (baseUrl) {
    const name = `aistudio_bench_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
    const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    databaseUrl = databaseUrlFor(baseUrl, name);
    dropDb = async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    };
  }
  const port = await freePort();
  const server = spawnEntry(
    options.entry ?? 'tests/bench/api-server.ts',
    {
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      APP_SECRET: BENCH_SECRET,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...(process.env.BENCH_CPU_PROFILE ? { BENCH_CPU_PROFILE: process.env.BENCH_CPU_PROFILE } : {}),
      ...(process.env.BENCH_SDK_RELAY ? { BENCH_SDK_RELAY: process.env.BENCH_SDK_RELAY } : {}),
      // Every held-open answer gets its own upstream connection (the default caps a host at 512).
      UPSTREAM_MAX_SOCKETS: '4096',
      // As `npm start` and the container run the server (fewer glibc malloc arenas, ADR 020).
      MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
      ...(process.env.BENCH_MEMORY_LOG ? { BENCH_MEMORY_LOG: process.env.BENCH_MEMORY_LOG } : {}),
      ...(process.env.BENCH_HEAP_SNAPSHOT ? { BENCH_HEAP_SNAPSHOT: process.env.BENCH_HEAP_SNAPSHOT } : {}),
      ...options.env,
    },
    { cwd: options.root },
  );
  const base = `http://127.0.0.1:${port}`;
  const cleanup = async () => {
    await server.stop();
    await dropDb();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${base}/api/health`, server, 120_000);
  } catch (err) {
    await cleanup();
    throw err;
  }
  return {
    mode: databaseUrl ? 'postgres' : 'embedded',
    server,
    base,
    async seed(fn) {
      const config = parseConfig({
        NODE_ENV: 'production',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        APP_SECRET: BENCH_SECRET,
      });
      const database = await openDatabase({ databaseUrl, dataDir, role: 'client', max: 2 });
      try {
        const services = createServices({ config, database, log: createLogger({ level: 'silent' }) });
        return await fn(
          services,
          createCtx({ db: database.db, log: services.log, actor: systemActor('cli') }),
        );
      } finally {
        await database.close();
      }
    },
    cleanup,
  };
}
