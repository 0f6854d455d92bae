/**
 * Boot sequence shared by the server, `npm run workers` and the CLI: database → migrations → seed →
 * services → job queue. `close()` undoes it in reverse.
 */

import { type DbHandle, openDatabase } from '../db/client';
import { runMigrations } from '../db/migrate';
import { seed } from '../db/seed';
import { sweepAtStartup } from '../workers/jobs/interrupted-answers.job';
import type { Config } from './config';
import type { Logger } from './lib/logger';
import { createServices, type Services } from './services';

export interface RuntimeOptions {
  config: Config;
  log: Logger;
  /** `host` owns the embedded database (the server); `client` joins a running one when it can. */
  role: 'host' | 'client';
  migrate?: boolean;
  /** `work`: run job handlers here; `send`: only enqueue; `none`: no queue at all (most CLI commands). */
  jobs?: 'work' | 'send' | 'none';
  applicationName?: string;
}

export interface Runtime {
  services: Services;
  close(timeoutMs?: number): Promise<void>;
}

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { config } = options;
  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    role: options.role,
    applicationName: options.applicationName,
  });
  try {
    if (options.migrate ?? true) {
      await runMigrations(database.db, database.sql);
      await seed(database.db);
    }
    return await startServices({
      ...options,
      database,
      sweep: options.role === 'host',
      oauthKeys: options.migrate ?? true,
    });
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
}

/**
 * Services over an open (migrated) database: change subscriptions, then the job queue. Tests use it over
 * their own database; `close()` stops everything and closes the database.
 */
export async function startServices(options: {
  config: Config;
  log: Logger;
  database: DbHandle;
  jobs?: 'work' | 'send' | 'none';
  /** How often settings are re-read as a fallback to NOTIFY (tests shorten it). */
  settingsPollMs?: number;
  /** Fail answers a previous process left streaming (the host does, at start). */
  sweep?: boolean;
  /** Make the OAuth signing key on first start (advisory-locked: one key however many instances boot). */
  oauthKeys?: boolean;
}): Promise<Runtime> {
  const { config, log, database } = options;
  const services = createServices({ config, database, log });
  if (options.oauthKeys ?? true) await services.oauthKeys.ensure();
  await services.settings.subscribe(database, options.settingsPollMs);
  await services.caches.subscribe(database, log);
  await services.chat.subscribe(database, log);
  await services.conversationPages.subscribe(database, log);
  // Answers a previous process left streaming (crash, kill -9) are failed now, not at the next job run.
  const cancelSweep = options.sweep ? await sweepAtStartup(services, database.mode === 'embedded') : () => {};
  const jobs = options.jobs ?? 'none';
  if (jobs !== 'none') await services.queue.start({ work: jobs === 'work' });
  return {
    services,
    async close(timeoutMs = 10_000) {
      cancelSweep();
      await services.queue.stop(timeoutMs).catch((err) => log.warn({ err }, 'queue stop failed'));
      await services.settings.close();
      await services.caches.close();
      await services.chat.close();
      await services.conversationPages.close();
      await services.apiKeys.close().catch((err) => log.warn({ err }, 'api key usage flush failed'));
      await services.rateLimiter.close();
      await services.extractor.close();
      await database.close();
    },
  };
}
