/**
 * A small pool of extraction worker threads. Each worker has a V8 heap cap (resourceLimits) and each job a
 * wall-clock limit; a worker that runs out of time is terminated, one that runs out of memory or crashes
 * dies, and either is replaced by a fresh one for the next job. At most `size` jobs run at once and `queue`
 * more wait; beyond that a job is refused at once (busy, 503) rather than piling up. Workers are reused
 * between jobs and unref'd, so an idle pool never keeps the process alive.
 */
import { Worker } from 'node:worker_threads';
import { ExtractRefusal, isRefusalData } from './refusal';
import type { ExtractLimits, ExtractResult } from './types';
import type { WorkerJob } from './worker';

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

export interface PoolOptions {
  /** Jobs running at once (one worker thread each). */
  size: number;
  /** Jobs waiting for a worker; more are refused. */
  queue: number;
  resourceLimits: { maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb: number; stackSizeMb: number };
}

interface Job extends WorkerJob {
  resolve(result: ExtractResult): void;
  reject(err: ExtractRefusal): void;
}

interface Slot {
  worker: Worker | null;
  job: Job | null;
  timer?: NodeJS.Timeout;
}

export interface PoolStats {
  running: number;
  queued: number;
  workers: number;
  /** Workers terminated (time limit) or dead (memory, crash) and replaced. */
  replaced: number;
  completed: number;
}

export class ExtractionPool {
  private readonly slots: Slot[];
  private readonly waiting: Job[] = [];
  private nextId = 1;
  private replaced = 0;
  private completed = 0;
  private closed = false;

  constructor(private readonly options: PoolOptions) {
    this.slots = Array.from({ length: options.size }, () => ({ worker: null, job: null }));
  }

  run(input: { filename: string; bytes: Uint8Array; limits: ExtractLimits }): Promise<ExtractResult> {
    return new Promise<ExtractResult>((resolve, reject) => {
      const job: Job = { ...input, id: this.nextId++, resolve, reject };
      const free = this.slots.find((s) => !s.job);
      if (this.closed) reject(busy(input.filename, 'the document reader is shutting down'));
      else if (free) this.start(free, job);
      else if (this.waiting.length < this.options.queue) this.waiting.push(job);
      else reject(busy(input.filename, 'too many documents are being read right now'));
    });
  }

  stats(): PoolStats {
    return {
      running: this.slots.filter((s) => s.job).length,
      queued: this.waiting.length,
      workers: this.slots.filter((s) => s.worker).length,
      replaced: this.replaced,
      completed: this.completed,
    };
  }

  /** Starts the workers ahead of the first job (each takes about a second to load). */
  warm(): void {
    for (const slot of this.slots) if (!slot.worker) slot.worker = this.spawn(slot);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(busy(job.filename, 'the reader is shutting down'));
    await Promise.all(
      this.slots.map(async (slot) => {
        const worker = slot.worker;
        slot.worker = null;
        this.settle(slot, (job) => job.reject(busy(job.filename, 'the reader is shutting down')));
        await worker?.terminate();
      }),
    );
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    slot.worker ??= this.spawn(slot);
    slot.timer = setTimeout(() => {
      this.settle(slot, (j) =>
        j.reject(
          new ExtractRefusal(
            'timeout',
            `${j.filename} is refused: reading it took longer than ${Math.round(j.limits.timeoutMs / 1000)} s.`,
          ),
        ),
      );
      this.discard(slot);
    }, job.limits.timeoutMs);
    const { id, filename, bytes, limits } = job;
    // A memcpy into shared memory costs the event loop a fraction of what cloning the bytes does.
    const shared = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
    shared.set(bytes);
    slot.worker.postMessage({ id, filename, bytes: shared, limits } satisfies WorkerJob);
  }

  private spawn(slot: Slot): Worker {
    const worker = new Worker(ENTRY, {
      // Not the parent's flags (tsx's own loader flags, or vitest's): the entry registers tsx itself.
      execArgv: [],
      resourceLimits: this.options.resourceLimits,
      name: 'document-extraction',
    });
    worker.unref();
    worker.on('message', (msg: { id?: number; result?: ExtractResult; refusal?: unknown }) => {
      if (slot.worker !== worker || !slot.job || msg.id !== slot.job.id) return;
      this.settle(slot, (job) => {
        if (isRefusalData(msg.refusal))
          job.reject(new ExtractRefusal(msg.refusal.reason, msg.refusal.message));
        else job.resolve(msg.result as ExtractResult);
      });
    });
    worker.on('error', (err: Error & { code?: string }) => {
      if (slot.worker !== worker) return;
      const outOfMemory = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.settle(slot, (job) =>
        job.reject(
          outOfMemory
            ? new ExtractRefusal(
                'out_of_memory',
                `${job.filename} is refused: reading it needs too much memory.`,
              )
            : new ExtractRefusal('corrupt', `${job.filename} could not be read: it may be damaged.`, {
                cause: err,
              }),
        ),
      );
      this.discard(slot);
    });
    worker.on('exit', () => {
      if (slot.worker !== worker) return;
      this.settle(slot, (job) =>
        job.reject(new ExtractRefusal('corrupt', `${job.filename} could not be read: the reader stopped.`)),
      );
      this.discard(slot);
    });
    return worker;
  }

  /** Ends the slot's job (if any) with `how`, then gives the slot the next waiting job. */
  private settle(slot: Slot, how: (job: Job) => void): void {
    const job = slot.job;
    clearTimeout(slot.timer);
    slot.job = null;
    if (job) {
      this.completed++;
      how(job);
    }
    queueMicrotask(() => this.next(slot));
  }

  /** Terminates the slot's worker; a new one is spawned for the next job. */
  private discard(slot: Slot): void {
    const worker = slot.worker;
    slot.worker = null;
    if (!worker) return;
    this.replaced++;
    void worker.terminate();
  }

  private next(slot: Slot): void {
    if (slot.job || this.closed) return;
    const job = this.waiting.shift();
    if (job) this.start(slot, job);
  }
}

function busy(filename: string, why: string): ExtractRefusal {
  return new ExtractRefusal('busy', `${filename} cannot be read now: ${why}. Try again in a few seconds.`);
}
