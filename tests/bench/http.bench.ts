/** Throughput and latency of /api/health through the whole middleware stack (autocannon, loopback). */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort, spawnEntry, waitForHttp } from '../helpers/processes';
import { type Bench, round } from './bench';

export const httpBench: Bench = {
  id: 'http',
  name: 'GET /api/health (10 connections, 5 s, production mode)',
  async run() {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'aist-bench-'));
    const port = await freePort();
    const proc = spawnEntry('api/server.ts', {
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      ...(process.env.BENCH_DATABASE_URL ? { DATABASE_URL: process.env.BENCH_DATABASE_URL } : {}),
    });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/api/health`, proc, 120_000);
      const result = await autocannon({
        url: `http://127.0.0.1:${port}/api/health`,
        connections: 10,
        duration: 5,
      });
      return [
        {
          'req/s (mean)': round(result.requests.average, 0),
          'p50 ms': result.latency.p50,
          'p99 ms': result.latency.p99,
          errors: result.errors + result.non2xx,
        },
      ];
    } finally {
      await proc.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
