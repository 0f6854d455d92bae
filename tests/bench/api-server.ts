/**
 * The API alone in production mode (no Remix mount, so no web build is needed): the same middleware,
 * services and database path as api/server.ts. Benchmarks spawn it as a separate process. With
 * WEB_CONCURRENCY > 1 it forks that many like api/server.ts does (api/cluster.ts).
 */
import cluster from 'node:cluster';
import { appendFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { writeHeapSnapshot } from 'node:v8';
import { runPrimary } from '../../api/cluster';
import { loadConfigOrExit } from '../../api/config';
import { createLogger } from '../../api/lib/logger';

// BENCH_CPU_PROFILE=<file>: profile the whole run (written at SIGTERM) to find what costs.
const profile = process.env.BENCH_CPU_PROFILE ? new Session() : null;
if (profile) {
  profile.connect();
  await new Promise((r) => profile.post('Profiler.enable', () => profile.post('Profiler.start', r)));
}

// BENCH_MEMORY_LOG=<file>: a line of process.memoryUsage() (MB) a second, to see what holds memory.
if (process.env.BENCH_MEMORY_LOG) {
  const file = process.env.BENCH_MEMORY_LOG;
  setInterval(() => {
    const mb = Object.fromEntries(
      Object.entries(process.memoryUsage()).map(([k, v]) => [k, Math.round(v / 1048576)]),
    );
    appendFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), ...mb })}\n`);
  }, 1_000).unref();
}

// BENCH_HEAP_SNAPSHOT=<file>: SIGUSR2 writes a V8 heap snapshot there (what the JS heap holds under load).
if (process.env.BENCH_HEAP_SNAPSHOT) {
  const file = process.env.BENCH_HEAP_SNAPSHOT;
  process.on('SIGUSR2', () => {
    writeHeapSnapshot(file);
  });
}

const config = loadConfigOrExit();
const log = createLogger({ level: config.LOG_LEVEL });
if (config.WEB_CONCURRENCY > 1 && cluster.isPrimary) {
  runPrimary({
    workers: config.WEB_CONCURRENCY,
    log,
    shutdownTimeoutMs: 5_000,
    redis: Boolean(config.REDIS_URL),
  });
} else {
  await serveApi();
}

async function serveApi(): Promise<void> {
  // Loaded here, so a cluster's primary does not hold the app.
  const [{ serve }, { createApp }, { startRuntime }] = await Promise.all([
    import('@hono/node-server'),
    import('../../api/app'),
    import('../../api/runtime'),
  ]);
  const runtime = await startRuntime({
    config,
    log,
    role: 'host',
    jobs: 'send',
    applicationName: 'ai-studio-bench',
  });
  // BENCH_SDK_RELAY=1: the gateway's OpenAI-to-OpenAI calls go through the provider package as before
  // ADR 020 (the relay bench's before/after in one tree).
  if (process.env.BENCH_SDK_RELAY === '1') runtime.services.calls.lightRelay = false;
  const app = createApp({ services: runtime.services });
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: '127.0.0.1' });
  process.once('SIGTERM', async () => {
    if (profile) {
      await new Promise<void>((resolve) =>
        profile.post('Profiler.stop', (_err, res) => {
          writeFileSync(process.env.BENCH_CPU_PROFILE!, JSON.stringify(res.profile));
          resolve();
        }),
      );
    }
    server.close();
    (server as unknown as { closeAllConnections(): void }).closeAllConnections();
    void runtime.services.chat
      .drain(5_000)
      .then(() => runtime.close(5_000))
      .finally(() => process.exit(0));
  });
}
