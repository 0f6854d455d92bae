/**
 * Buffers one row per API-key request and writes them in batches, so the request path never waits for —
 * nor triggers — a database write: flushed every `intervalMs`, when `maxBatch` rows wait, and on close.
 * Each flush also moves the keys' last_used_at forward (one statement; at most once a minute per key).
 * A failed write is logged and dropped — the request log is for the admin view, not for billing (token
 * usage is accounted elsewhere).
 * Rows wait by column (strings shared with the route and the key, numbers in packed arrays), not as an
 * object each: under load thousands wait between flushes, and objects that outlive a young-generation
 * collection cost every later one (ADR 019).
 */
import type { Queryable } from '../../../db/client';
import type { Logger } from '../../lib/logger';
import { insertUsage, LAST_USED_RESOLUTION_MS, touchLastUsed, type UsageColumns } from './api-keys.repo';

/** Keys whose last write this recorder remembers; past that it forgets them all (the SQL still filters). */
const MAX_WRITTEN_KEYS = 10_000;

export interface UsageRecorderOptions {
  db: Queryable;
  log: Logger;
  intervalMs?: number;
  maxBatch?: number;
  /** Rows kept while the database is slow; beyond this, the oldest are dropped. */
  maxBuffered?: number;
}

/** One request made with a key. */
export interface KeyRequest {
  apiKeyId: string;
  /** The route pattern that answered. */
  endpoint: string;
  method: string;
  status: number;
  latencyMs: number;
  /** When (epoch milliseconds); now unless given. */
  at?: number;
}

const noRows = (): UsageColumns => ({
  keys: [],
  endpoints: [],
  methods: [],
  statuses: [],
  latencies: [],
  times: [],
});

const sliceOf = (rows: UsageColumns, from: number, to?: number): UsageColumns => ({
  keys: rows.keys.slice(from, to),
  endpoints: rows.endpoints.slice(from, to),
  methods: rows.methods.slice(from, to),
  statuses: rows.statuses.slice(from, to),
  latencies: rows.latencies.slice(from, to),
  times: rows.times.slice(from, to),
});

export class UsageRecorder {
  private buffer = noRows();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;
  /** The last_used_at this recorder last wrote per key (epoch ms). */
  private readonly written = new Map<string, number>();
  private readonly intervalMs: number;
  private readonly maxBatch: number;
  private readonly maxBuffered: number;

  constructor(private readonly options: UsageRecorderOptions) {
    this.intervalMs = options.intervalMs ?? 2_000;
    this.maxBatch = options.maxBatch ?? 1_000;
    this.maxBuffered = options.maxBuffered ?? 10_000;
  }

  /** One request made with a key. */
  record(request: KeyRequest): void {
    if (this.closed) return;
    const rows = this.buffer;
    rows.keys.push(request.apiKeyId);
    rows.endpoints.push(request.endpoint);
    rows.methods.push(request.method);
    rows.statuses.push(request.status);
    rows.latencies.push(request.latencyMs);
    rows.times.push(request.at ?? Date.now());
    const waiting = rows.keys.length;
    if (waiting > this.maxBuffered) this.buffer = sliceOf(rows, waiting - this.maxBuffered);
    if (waiting >= this.maxBatch) void this.flush();
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
    this.buffer = noRows();
    this.flushing = this.flushing.then(async () => {
      const count = batch.keys.length;
      const lastUsed = this.lastUsedDue(batch);
      try {
        await touchLastUsed(this.options.db, lastUsed);
        if (this.written.size > MAX_WRITTEN_KEYS) this.written.clear();
        for (const [id, at] of lastUsed) this.written.set(id, at.getTime());
      } catch (err) {
        this.options.log.warn({ err }, 'api key usage: last-used write failed');
      }
      for (let i = 0; i < count; i += this.maxBatch) {
        try {
          await insertUsage(
            this.options.db,
            count <= this.maxBatch ? batch : sliceOf(batch, i, i + this.maxBatch),
          );
        } catch (err) {
          this.options.log.warn({ err, rows: count - i }, 'api key usage: batch write failed');
          return;
        }
      }
    });
    return this.flushing;
  }

  /**
   * Each key's newest request in `batch`, for the keys whose last_used_at this recorder has not moved in
   * the last minute (by request time): the statement would skip those anyway, so under load most flushes
   * send none (it ran with every batch, 80 times a second at 16,000 key requests a second; ADR 019).
   */
  private lastUsedDue(batch: UsageColumns): Map<string, Date> {
    const newest = new Map<string, number>();
    for (let i = 0; i < batch.keys.length; i++) {
      const seen = newest.get(batch.keys[i]!);
      if (seen === undefined || seen < batch.times[i]!) newest.set(batch.keys[i]!, batch.times[i]!);
    }
    const due = new Map<string, Date>();
    for (const [id, at] of newest) {
      const written = this.written.get(id);
      if (written === undefined || at - written >= LAST_USED_RESOLUTION_MS) due.set(id, new Date(at));
    }
    return due;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }
}
