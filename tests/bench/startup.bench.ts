/** Time from spawning the server to its first 200 on /api/health: new data directory, then reopening it. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, spawnEntry, waitForHttp } from '../helpers/processes';
import { type Bench, round } from './bench';

async function timeToFirst200(dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const proc = spawnEntry('api/server.ts', {
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    PORT: String(port),
    LOG_LEVEL: 'warn',
  });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/api/health`, proc, 120_000);
    return performance.now() - started;
  } finally {
    await proc.stop();
  }
}

export const startupBench: Bench = {
  id: 'startup',
  name: 'Cold start to first 200 (embedded database)',
  async run() {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'aist-bench-'));
    try {
      const fresh = await timeToFirst200(dataDir);
      const reopen = await timeToFirst200(dataDir);
      return [
        { case: 'new data directory (initdb + migrations)', ms: round(fresh, 0) },
        { case: 'existing data directory', ms: round(reopen, 0) },
      ];
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
