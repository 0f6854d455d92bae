/**
 * `npm run workers`: job handlers in their own process (then run the web process with RUN_WORKERS=false).
 * On the embedded database it connects through the running server's socket.
 */
import { loadConfigOrExit } from '../api/config';
import { createLogger } from '../api/lib/logger';
import { startRuntime } from '../api/runtime';
import { DataDirInUseError } from '../db/embedded';

const config = loadConfigOrExit();
const log = createLogger({ level: config.LOG_LEVEL }).child({ process: 'workers' });

try {
  const runtime = await startRuntime({
    config,
    log,
    role: 'client',
    jobs: 'work',
    applicationName: 'ai-studio-workers',
  });
  log.info({ mode: runtime.services.database.mode }, 'workers running');
  const stop = async (signal: string) => {
    log.info({ signal }, 'workers stopping (finishing active jobs)');
    await runtime.close(config.SHUTDOWN_TIMEOUT_MS);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
} catch (err) {
  if (err instanceof DataDirInUseError) process.stderr.write(`ai-studio workers: ${err.message}\n`);
  else log.fatal({ err }, 'workers failed to start');
  process.exit(1);
}
