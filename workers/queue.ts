/**
 * Background jobs on pg-boss, on the same Postgres (embedded: through the PGlite socket, like every other
 * client). Each queue gets retries with exponential backoff and a dead-letter queue `<name>.dead`.
 */
import { eq, sql } from 'drizzle-orm';
import PgBoss from 'pg-boss';

/** Retry, expiry, retention and dead-letter options of a queue (pg-boss 10: the last line supporting Node 20). */
export type QueueOptions = Omit<PgBoss.Queue, 'name'>;
type SendOptions = PgBoss.SendOptions;

import type { Logger } from '../api/lib/logger';
import type { ConnectionTarget, Database } from '../db/client';
import { pgOptions } from '../db/client';
import { jobProgress } from '../db/schema/index';

export interface JobContext {
  log: Logger;
  /** Records progress (0–100) that services and the UI can read while the job runs. */
  progress(percent: number, message?: string): Promise<void>;
  /** 0 on the first run; the queue retries until `retryCount` reaches `retryLimit`. */
  retryCount: number;
  retryLimit: number;
}

export interface JobDefinition<T extends object = object> {
  name: string;
  queue?: QueueOptions;
  /** Cron expression (UTC) to enqueue the job on a schedule. */
  schedule?: string;
  handler(data: T, job: JobContext): Promise<unknown>;
}

export interface JobStatus {
  id: string;
  queue: string;
  state: string;
  retryCount: number;
  createdOn: Date;
  completedOn: Date | null;
  output: unknown;
  progress: { percent: number; message: string | null } | null;
}

const DEFAULT_QUEUE: QueueOptions = {
  retryLimit: 5,
  retryDelay: 5,
  // Exponential: 5, 10, 20, 40, 80 s (the retry limit bounds the longest wait).
  retryBackoff: true,
  expireInSeconds: 15 * 60,
};

export const deadLetterName = (name: string) => `${name}.dead`;

export class JobQueue {
  private readonly boss: PgBoss;
  private started = false;
  private working = false;

  constructor(
    private readonly deps: {
      target: ConnectionTarget;
      db: Database;
      log: Logger;
      jobs: JobDefinition<never>[];
    },
  ) {
    this.boss = new PgBoss({ ...pgOptions(deps.target), application_name: 'ai-studio-jobs', max: 4 });
    this.boss.on('error', (err: Error) => deps.log.error({ err }, 'job queue error'));
  }

  get isStarted(): boolean {
    return this.started;
  }

  get isWorking(): boolean {
    return this.working;
  }

  /** Creates queues and schedules; with `work`, also runs the handlers in this process. */
  async start(options: { work: boolean }): Promise<void> {
    await this.boss.start();
    for (const def of this.deps.jobs) {
      await this.ensureQueue(deadLetterName(def.name), { ...DEFAULT_QUEUE, retryLimit: 0 });
      await this.ensureQueue(def.name, {
        ...DEFAULT_QUEUE,
        ...def.queue,
        deadLetter: deadLetterName(def.name),
      });
      if (def.schedule) await this.boss.schedule(def.name, def.schedule, {}, { tz: 'UTC' });
    }
    this.started = true;
    if (options.work) {
      for (const def of this.deps.jobs) await this.work(def as JobDefinition);
      this.working = true;
    }
  }

  private async ensureQueue(name: string, options: QueueOptions): Promise<void> {
    const existing = await this.boss.getQueue(name);
    if (existing) await this.boss.updateQueue(name, { name, ...options });
    else await this.boss.createQueue(name, { name, ...options });
  }

  private async work(def: JobDefinition): Promise<void> {
    const options = { batchSize: 1, includeMetadata: true as const };
    await this.boss.work<object>(def.name, options, async ([job]: PgBoss.JobWithMetadata<object>[]) => {
      if (!job) return;
      const log = this.deps.log.child({ job: def.name, jobId: job.id, attempt: job.retryCount });
      const started = Date.now();
      try {
        const output = await def.handler(job.data, {
          log,
          progress: (p, m) => this.progress(job.id, def.name, p, m),
          retryCount: job.retryCount,
          retryLimit: def.queue?.retryLimit ?? DEFAULT_QUEUE.retryLimit ?? 0,
        });
        log.info({ durationMs: Date.now() - started }, 'job completed');
        return output;
      } catch (err) {
        log.warn({ err, durationMs: Date.now() - started }, 'job failed');
        throw err;
      }
    });
  }

  send(name: string, data: object = {}, options: SendOptions = {}): Promise<string | null> {
    return this.boss.send(name, data, options);
  }

  async progress(jobId: string, queue: string, percent: number, message?: string): Promise<void> {
    const p = Math.max(0, Math.min(100, Math.round(percent)));
    await this.deps.db
      .insert(jobProgress)
      .values({ jobId, queue, percent: p, message: message ?? null })
      .onConflictDoUpdate({
        target: jobProgress.jobId,
        set: { percent: p, message: message ?? null, updatedAt: sql`now()` },
      });
  }

  async status(queue: string, id: string): Promise<JobStatus | null> {
    const job = await this.boss.getJobById(queue, id);
    if (!job) return null;
    const [row] = await this.deps.db.select().from(jobProgress).where(eq(jobProgress.jobId, id));
    return {
      id: job.id,
      queue: job.name,
      state: job.state,
      retryCount: job.retryCount,
      createdOn: job.createdOn,
      completedOn: job.completedOn,
      output: job.output,
      progress: row ? { percent: row.percent, message: row.message } : null,
    };
  }

  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.started) return;
    this.started = false;
    this.working = false;
    await this.boss.stop({ graceful: true, timeout: timeoutMs, close: true });
  }
}
