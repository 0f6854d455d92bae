/**
 * The embedded database: PGlite (+pgvector) in DATA_DIR, served on an owner-only unix socket so every
 * process — the server's own pool, pg-boss, the CLI, `npm run workers`, psql — talks to it the same way
 * (postgres wire protocol). PGlite is one Postgres session: queries sent to the PGlite object directly
 * would run inside whatever transaction a socket client has open, so nothing here queries it in-process.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

export const SOCKET_PORT = 5432;

export interface EmbeddedHost {
  /** Folder holding the unix socket; postgres.js connects with `{ host: socketDir, port: SOCKET_PORT }`. */
  socketDir: string;
  stop(): Promise<void>;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the data directory ${dataDir} is already open in process ${pid}; stop that process, or let it serve ` +
        'and connect through its socket (the CLI and workers do this automatically)',
    );
    this.name = 'DataDirInUseError';
  }
}

export function socketPath(dataDir: string): string {
  return path.join(dataDir, `.s.PGSQL.${SOCKET_PORT}`);
}

function lockPath(dataDir: string): string {
  return path.join(dataDir, 'pglite.lock');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid holding the data directory, or null when nobody (or only a dead process) holds it. */
export function lockOwner(dataDir: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(lockPath(dataDir), 'utf8'), 10);
    return Number.isFinite(pid) && pid !== process.pid && isAlive(pid) ? pid : null;
  } catch {
    return null;
  }
}

/** Atomically takes the data-directory lock (O_EXCL), clearing a lock left by a dead process. */
function acquireLock(dataDir: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath(dataDir), String(process.pid), { flag: 'wx', mode: 0o600 });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = lockOwner(dataDir);
      if (owner !== null) throw new DataDirInUseError(dataDir, owner);
      rmSync(lockPath(dataDir), { force: true });
    }
  }
  throw new DataDirInUseError(dataDir, Number.NaN);
}

function releaseLock(dataDir: string): void {
  try {
    if (readFileSync(lockPath(dataDir), 'utf8') === String(process.pid)) rmSync(lockPath(dataDir));
  } catch {
    // already gone
  }
}

/** True when a server answers on the data directory's socket. */
export function socketIsLive(dataDir: string): Promise<boolean> {
  const file = socketPath(dataDir);
  if (!existsSync(file)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const conn = net.connect(file);
    conn.once('connect', () => {
      conn.destroy();
      resolve(true);
    });
    conn.once('error', () => resolve(false));
  });
}

/**
 * The embedded server lives in this process's memory (its WebAssembly heap only grows), so it keeps
 * Postgres's buffers small: initdb's 128 MB of shared buffers and 64 MB for index builds (migrations) made
 * the server ~100 MB larger at rest and with 1,000 answers open, for no speed a laptop's data needs
 * (docs/decisions/020-relay-speed.md). Given as start parameters: PGlite's `postgresqlconf` would replace
 * the data directory's postgresql.conf (time zone, locale, text search settings).
 */
export const EMBEDDED_MEMORY_SETTINGS = ['-c', 'shared_buffers=16MB', '-c', 'maintenance_work_mem=8MB'];

/** The database thread's V8 young generation (see startEmbeddedHost). */
const DB_THREAD_YOUNG_GENERATION_MB = 8;

interface HostMessage {
  type: 'ready' | 'failed' | 'stopped';
  message?: string;
  code?: string;
}

function threadEnded(code: number): Error {
  return new Error(`the embedded database's thread ended (exit code ${code})`);
}

/** The thread failed to open the database: its reason, with the error code a caller may test. */
function hostError(message: HostMessage): Error {
  return Object.assign(new Error(message.message ?? 'the embedded database did not start'), {
    code: message.code,
  });
}

/**
 * Opens PGlite in DATA_DIR/pgdata and serves it on DATA_DIR/.s.PGSQL.5432 (mode 0600), in a thread of its own
 * (db/pglite-host.mjs): its queries then run beside the server's requests instead of between them, and the
 * serving thread's JavaScript stays as fast as with Postgres — loading pgvector's WebAssembly makes V8 slower
 * for the code of the thread that loads it (docs/decisions/026-embedded-database-thread.md).
 */
export async function startEmbeddedHost(dataDir: string): Promise<EmbeddedHost> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  acquireLock(dataDir);
  const worker = new Worker(new URL('./pglite-host.mjs', import.meta.url), {
    workerData: {
      pgdata: path.join(dataDir, 'pgdata'),
      socketPath: socketPath(dataDir),
      startParams: EMBEDDED_MEMORY_SETTINGS,
      maxConnections: 200,
    },
    // The thread's JavaScript only moves bytes between the socket and PGlite: a small young generation is
    // enough, and V8's default let it grow by some 40 MB of RSS under load (1,000 held-open answers: 518–533
    // MB by default, 496–497 MB at 4–8 MB; 4 MB cost chat ~15 % more CPU per stream at 50 streams; ADR 027).
    resourceLimits: { maxYoungGenerationSizeMb: DB_THREAD_YOUNG_GENERATION_MB },
  });
  const next = () =>
    new Promise<HostMessage>((resolve, reject) => {
      const onMessage = (message: HostMessage) => settle(() => resolve(message));
      const onError = (err: Error) => settle(() => reject(err));
      const onExit = (code: number) => settle(() => reject(threadEnded(code)));
      const settle = (done: () => void) => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        done();
      };
      worker.on('message', onMessage).once('error', onError).once('exit', onExit);
    });
  try {
    const first = await next();
    if (first.type !== 'ready') throw hostError(first);
  } catch (err) {
    await worker.terminate().catch(() => {});
    releaseLock(dataDir);
    throw err;
  }
  // A database that dies under a running server takes the server with it, as it did in one thread.
  let stopping: Promise<void> | undefined;
  const onCrash = (reason: Error | number) => {
    if (stopping) return;
    throw reason instanceof Error ? reason : threadEnded(reason);
  };
  worker.once('error', onCrash).once('exit', onCrash);
  return {
    socketDir: dataDir,
    stop() {
      stopping ??= (async () => {
        const stopped = next().catch(() => undefined);
        worker.postMessage('stop');
        await stopped;
        await worker.terminate().catch(() => {});
        rmSync(socketPath(dataDir), { force: true });
        releaseLock(dataDir);
      })();
      return stopping;
    },
  };
}
