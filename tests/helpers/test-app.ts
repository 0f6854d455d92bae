/**
 * The real app on a real port over a test database: services, middleware, routers and (optionally) the
 * built Remix UI — what integration and browser tests talk to with fetch or Chromium.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from '../../api/app';
import { type Config, parseConfig } from '../../api/config';
import { createLogger, type Logger } from '../../api/lib/logger';
import { createServices, type Services } from '../../api/services';
import { productionRemixHandler } from '../../api/web-mount';
import type { DbHandle } from '../../db/client';
import { createTestDatabase } from './test-db';

export const TEST_SECRET = 'test-secret-test-secret-test-secret-0123';

export function testConfig(overrides: Record<string, string> = {}): Config {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'aist-data-'));
  return parseConfig({
    NODE_ENV: 'test',
    APP_SECRET: TEST_SECRET,
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...overrides,
  });
}

export interface TestServices {
  services: Services;
  database: DbHandle;
  log: Logger;
  close(): Promise<void>;
}

/** Services over a fresh test database, without HTTP. `jobs: 'work'` runs the job queue here too. */
export async function createTestServices(
  options: { env?: Record<string, string>; jobs?: 'work' | 'send' | 'none'; log?: Logger } = {},
): Promise<TestServices> {
  const config = testConfig(options.env);
  const database = await createTestDatabase();
  const log = options.log ?? createLogger({ level: config.LOG_LEVEL });
  const services = createServices({ config, database, log });
  await services.settings.subscribe(database, 100);
  await services.caches.subscribe(database, log);
  await services.chat.subscribe(database, log);
  if (options.jobs && options.jobs !== 'none') await services.queue.start({ work: options.jobs === 'work' });
  return {
    services,
    database,
    log,
    async close() {
      await services.queue.stop(1_000);
      await services.settings.close();
      await services.caches.close();
      await services.chat.close();
      await services.apiKeys.close();
      await services.rateLimiter.close();
      await services.extractor.close();
      await database.close();
      rmSync(config.DATA_DIR, { recursive: true, force: true });
    },
  };
}

export interface TestApp extends TestServices {
  url: string;
  /** fetch relative to the app's origin. */
  fetch(pathname: string, init?: RequestInit): Promise<Response>;
}

export async function startTestApp(
  options: {
    env?: Record<string, string>;
    web?: boolean;
    jobs?: 'work' | 'send' | 'none';
    log?: Logger;
  } = {},
): Promise<TestApp> {
  const base = await createTestServices({ ...options, jobs: options.jobs ?? 'send' });
  const remix = options.web ? await productionRemixHandler() : undefined;
  const app = createApp({ services: base.services, remix });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    ...base,
    url,
    fetch: (pathname, init) => fetch(new URL(pathname, url), init),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await base.close();
    },
  };
}
