/**
 * The embedded database's thread (started by db/embedded.ts): opens PGlite (+pgvector) and serves it on the
 * data directory's unix socket, so its queries and the WebAssembly module never run on the serving thread
 * (docs/decisions/026-embedded-database-thread.md). Plain JavaScript: a worker does not inherit the
 * process's TypeScript loader, and loading one here would cost the thread ~16 MB.
 *
 * Messages to the parent: { type: 'ready' } | { type: 'failed', message, code } | { type: 'stopped' };
 * from the parent: 'stop'.
 */
import { chmodSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { servePgliteSocket } from './pglite-server.mjs';

/** @type {{ pgdata: string, socketPath: string, startParams: string[], maxConnections: number }} */
const options = workerData;
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

/**
 * This thread's JavaScript heap stays small, so nothing here triggers the full collection that frees
 * initdb's and the migrations' transient WebAssembly memory; one forced collection once the database is up
 * took a first start from ~920–960 to ~530–580 MB RSS (ADR 026). The flag applies to contexts made after it.
 */
function collectOnce() {
  v8.setFlagsFromString('--expose-gc');
  vm.runInNewContext('gc')();
}

async function start() {
  /** @type {PGlite | undefined} */
  let db;
  try {
    db = await PGlite.create(options.pgdata, {
      extensions: { vector },
      startParams: [...PGlite.defaultStartParams, ...options.startParams],
    });
    // (servePgliteSocket removes a socket file left by a crash before listening.)
    const server = await servePgliteSocket(db, {
      path: options.socketPath,
      maxConnections: options.maxConnections,
    });
    chmodSync(options.socketPath, 0o600);
    const open = db;
    port.on('message', async (message) => {
      if (message !== 'stop') return;
      await server.stop().catch(() => {});
      await open.close().catch(() => {});
      port.postMessage({ type: 'stopped' });
      port.close();
    });
    collectOnce();
    port.postMessage({ type: 'ready' });
  } catch (err) {
    await db?.close().catch(() => {});
    const error = /** @type {NodeJS.ErrnoException} */ (err);
    port.postMessage({ type: 'failed', message: String(error?.message ?? err), code: error?.code });
    port.close();
  }
}

await start();
