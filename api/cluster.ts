/**
 * WEB_CONCURRENCY=N > 1 (Postgres only; config.ts refuses it on the embedded database): this process becomes
 * the primary of a node:cluster and forks N server processes that share the one listening port (the primary
 * accepts and hands connections round-robin). The primary opens no database: each worker is a whole server
 * (api/server.ts) whose shared state is in Postgres (sessions, budgets and their reservations, hot-cache
 * invalidation by NOTIFY, chat stop, the job queue) or Redis (rate limits, the sign-in throttle and the
 * per-person cap on answers streaming at once, when REDIS_URL is set). docs/decisions/020-relay-speed.md.
 *
 * Start-up: the first worker boots alone (migrations, seed, OAuth key), so a failure prints its one line
 * once; the others then start together. A worker that dies later is replaced. SIGTERM/SIGINT: every worker
 * runs its graceful shutdown (running answers finish or are saved as interrupted) and the primary exits
 * when the last one has; SIGKILL after SHUTDOWN_TIMEOUT_MS plus a margin.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from './lib/logger';

/** Which worker this is (0 = the first); set by the primary in each worker's environment. */
export const WORKER_INDEX_ENV = 'AISTUDIO_WORKER_INDEX';

export const workerIndex = (): number | null =>
  cluster.isWorker ? Number(process.env[WORKER_INDEX_ENV] ?? 0) : null;

const RESTART_DELAY_MS = 1_000;
const KILL_MARGIN_MS = 5_000;

export function runPrimary(options: {
  workers: number;
  log: Logger;
  shutdownTimeoutMs: number;
  /** Shared state that stays per process without Redis, for the start-up warning. */
  redis: boolean;
}): void {
  const { log } = options;
  let stopping = false;
  let started = false;
  const indexOf = new Map<Worker, number>();
  if (!options.redis) {
    log.warn(
      { workers: options.workers },
      'WEB_CONCURRENCY without REDIS_URL: rate limits, sign-in throttling and the cap on answers streaming at once count per process',
    );
  }

  const fork = (index: number): Worker => {
    const worker = cluster.fork({ [WORKER_INDEX_ENV]: String(index) });
    indexOf.set(worker, index);
    return worker;
  };

  cluster.on('exit', (worker, code, signal) => {
    const index = indexOf.get(worker) ?? 0;
    indexOf.delete(worker);
    if (stopping) {
      if (indexOf.size === 0) process.exit(0);
      return;
    }
    if (!started) {
      // The first worker could not start (its own one-line reason is above): the cluster cannot either.
      process.exit(code ?? 1);
    }
    log.error({ worker: index, code, signal }, 'server process exited; starting another');
    setTimeout(() => {
      if (!stopping) fork(index);
    }, RESTART_DELAY_MS).unref();
  });

  const first = fork(0);
  first.once('listening', () => {
    started = true;
    let listening = 1;
    for (let i = 1; i < options.workers; i++) {
      fork(i).once('listening', () => {
        listening += 1;
        if (listening === options.workers) {
          log.info({ workers: options.workers }, 'every server process is listening');
        }
      });
    }
  });

  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, workers: indexOf.size }, 'shutting down every server process');
    for (const worker of indexOf.keys()) worker.process.kill('SIGTERM');
    if (indexOf.size === 0) process.exit(0);
    setTimeout(() => {
      log.warn('shutdown timeout: killing the remaining server processes');
      for (const worker of indexOf.keys()) worker.process.kill('SIGKILL');
    }, options.shutdownTimeoutMs + KILL_MARGIN_MS).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
