/**
 * One server process: config → database (+ migrations, seed) → services → job workers → HTTP, and its
 * graceful shutdown. Loaded by api/server.ts — alone, or in each worker of WEB_CONCURRENCY (api/cluster.ts),
 * so a cluster's primary never loads the app.
 */
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { DataDirInUseError } from '../db/embedded';
import { createApp } from './app';
import type { Config } from './config';
import { INTERRUPTED_REASON } from './features/chat/chat.service';
import { keepConnectionsAlive } from './lib/keep-alive';
import type { Logger } from './lib/logger';
import { startRuntime } from './runtime';
import { productionRemixHandler, type RemixHandler } from './web-mount';

/** `worker`: this process's index under WEB_CONCURRENCY, null when it runs alone. */
export function serve(config: Config, log: Logger, worker: number | null): void {
  const bootStarted = performance.now();
  const dev = config.NODE_ENV === 'development';
  // React picks its build from NODE_ENV when first imported (by the web build, loaded below): never the
  // development build unless asked for.
  process.env.NODE_ENV = config.NODE_ENV;

  async function main(): Promise<void> {
    const runtime = await startRuntime({
      config,
      log,
      role: 'host',
      // Several server processes (WEB_CONCURRENCY): the first runs the job handlers, the others only enqueue.
      jobs: config.RUN_WORKERS && (worker ?? 0) === 0 ? 'work' : 'send',
      applicationName: 'ai-studio-web',
    });
    const { services } = runtime;

    // The http server exists before the app so Vite's HMR websocket can share its port in development.
    let listener: ReturnType<typeof getRequestListener> = async (_req, res) => {
      res.writeHead(503).end();
    };
    let devMiddleware:
      | ((req: Parameters<typeof listener>[0], res: Parameters<typeof listener>[1], next: () => void) => void)
      | null = null;
    const server: Server = createServer((req, res) => {
      if (devMiddleware) devMiddleware(req, res, () => listener(req, res));
      else listener(req, res);
    });
    keepConnectionsAlive(server);

    let remix: RemixHandler;
    let closeDev = async () => {};
    if (dev) {
      const { startDevServer } = await import('./dev-server');
      const devServer = await startDevServer(server);
      devMiddleware = devServer.middleware;
      remix = devServer.remix;
      closeDev = devServer.close;
    } else {
      remix = await productionRemixHandler();
    }
    const app = createApp({ services, remix, dev });
    listener = getRequestListener(app.fetch);

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.PORT, config.HOST, () => resolve());
    });
    // The first document upload then finds its extraction worker loaded (about a second otherwise).
    services.extractor.warm();
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    log.info(
      {
        port,
        host: config.HOST,
        mode: services.database.mode,
        dev,
        bootMs: Math.round(performance.now() - bootStarted),
      },
      `AI Studio listening on http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`,
    );

    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      services.draining = true;
      log.info({ signal }, 'shutting down: no new connections; waiting for in-flight requests');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => {
        log.warn('shutdown timeout: closing remaining connections');
        server.closeAllConnections();
      }, config.SHUTDOWN_TIMEOUT_MS);
      force.unref();
      // Running answers finish within the timeout, or are saved as interrupted (partial text, estimate
      // billed) and their streams closed; only then do the connections and the database go.
      await services.calls.drain(config.SHUTDOWN_TIMEOUT_MS, INTERRUPTED_REASON);
      server.closeIdleConnections();
      await closed;
      await closeDev();
      await runtime.close(config.SHUTDOWN_TIMEOUT_MS);
      log.info('stopped');
      process.exit(0);
    };
    if (worker === null) {
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
      process.once('SIGINT', () => void shutdown('SIGINT'));
    } else {
      // A cluster worker may get a signal twice (the terminal's process group and the primary): shutdown is
      // idempotent, and the primary escalates. A primary that is gone leaves the worker to stop by itself.
      process.on('SIGTERM', () => void shutdown('SIGTERM'));
      process.on('SIGINT', () => void shutdown('SIGINT'));
      process.on('disconnect', () => void shutdown('disconnect'));
    }
  }

  main().catch((err: unknown) => {
    if (err instanceof DataDirInUseError) {
      process.stderr.write(`ai-studio: ${err.message}\n`);
    } else if (err && typeof err === 'object' && 'code' in err && err.code === 'EADDRINUSE') {
      process.stderr.write(
        `ai-studio: port ${config.PORT} on ${config.HOST} is already in use (set PORT to another)\n`,
      );
    } else if (
      err &&
      typeof err === 'object' &&
      'code' in err &&
      (err.code === 'ECONNREFUSED' || err.code === 'ENOTFOUND')
    ) {
      process.stderr.write(`ai-studio: cannot reach the database at DATABASE_URL (${String(err.code)})\n`);
    } else {
      log.fatal({ err }, 'failed to start');
    }
    process.exit(1);
  });
}
