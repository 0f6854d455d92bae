/**
 * Buffers one row per API-key request and writes them in batches, so the request path never waits for —
 * nor triggers — a database write: flushed every `intervalMs`, when `maxBatch` rows wait, and on close.
 * Each flush also moves the keys' last_used_at forward (one statement; at most once a minute per key).
 * A failed write is logged and dropped — the request log is for the admin view, not for billing (token
 * usage is accounted elsewhere).
 */
import type { Queryable } from '../../../db/client';
import type { Logger } from '../../lib/logger';
import { insertUsage, type NewApiKeyUsageRow, touchLastUsed } from './api-keys.repo';

export interface UsageRecorderOptions {
  db: Queryable;
  log: Logger;
  intervalMs?: number;
  maxBatch?: number;
  /** Rows kept while the database is slow; beyond this, the oldest are dropped. */
  maxBuffered?: number;
}

export class UsageRecorder {
  private buffer: NewApiKeyUsageRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly intervalMs: number;
  private readonly maxBatch: number;
  private readonly maxBuffered: number;

  constructor(private readonly options: UsageRecorderOptions) {
    this.intervalMs = options.intervalMs ?? 2_000;
    this.maxBatch = options.maxBatch ?? 200;
    this.maxBuffered = options.maxBuffered ?? 10_000;
  }

  /** One request made with a key (its time is now unless given). */
  record(row: NewApiKeyUsageRow): void {
    if (this.closed) return;
    this.buffer.push({ ...row, createdAt: row.createdAt ?? new Date() });
    if (this.buffer.length > this.maxBuffered) this.buffer.splice(0, this.buffer.length - this.maxBuffered);
    if (this.buffer.length >= this.maxBatch) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.intervalMs);
      this.timer.unref();
    }
  }

  /** Writes what is buffered (and waits for a write already under way). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.buffer;
    this.buffer = [];
    this.flushing = this.flushing.then(async () => {
      const lastUsed = new Map<string, Date>();
      for (const row of batch) {
        const at = row.createdAt as Date;
        const seen = lastUsed.get(row.apiKeyId);
        if (!seen || seen < at) lastUsed.set(row.apiKeyId, at);
      }
      try {
        await touchLastUsed(this.options.db, lastUsed);
      } catch (err) {
        this.options.log.warn({ err }, 'api key usage: last-used write failed');
      }
      for (let i = 0; i < batch.length; i += this.maxBatch) {
        try {
          await insertUsage(this.options.db, batch.slice(i, i + this.maxBatch));
        } catch (err) {
          this.options.log.warn({ err, rows: batch.length - i }, 'api key usage: batch write failed');
          return;
        }
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }
}
