/**
 * Entry point: config, then one server process (api/serve.ts) — or, with WEB_CONCURRENCY > 1, a cluster
 * primary that forks that many (api/cluster.ts) and loads nothing of the app itself.
 * `npm start` runs it in production mode (NODE_ENV unset means production); `npm run dev` sets
 * NODE_ENV=development for Vite in middleware mode.
 */
import cluster from 'node:cluster';
import { runPrimary, workerIndex } from './cluster';
import { loadConfigOrExit } from './config';
import { createLogger } from './lib/logger';

const config = loadConfigOrExit();
const worker = workerIndex();
const baseLog = createLogger({ level: config.LOG_LEVEL });
// With WEB_CONCURRENCY > 1 every line names the server process that wrote it.
const log = worker === null ? baseLog : baseLog.child({ worker });

if (config.WEB_CONCURRENCY > 1 && cluster.isPrimary) {
  runPrimary({
    workers: config.WEB_CONCURRENCY,
    log,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    redis: Boolean(config.REDIS_URL),
  });
} else {
  const { serve } = await import('./serve');
  serve(config, log, worker);
}
