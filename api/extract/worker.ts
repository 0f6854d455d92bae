/**
 * The extraction worker thread: one job at a time from the pool, answered with the result or a refusal as
 * plain data. Anything unexpected is reported as a damaged file; the pool replaces a worker that dies.
 */
import { parentPort } from 'node:worker_threads';
import { extractDocument } from './extract-document';
import { ExtractRefusal } from './refusal';
import type { ExtractLimits } from './types';

export interface WorkerJob {
  id: number;
  filename: string;
  bytes: Uint8Array;
  limits: ExtractLimits;
}

parentPort?.on('message', async (job: WorkerJob) => {
  try {
    // The bytes arrive in shared memory; parsers get a private copy (some detach or keep what they read).
    const bytes = new Uint8Array(job.bytes);
    const result = await extractDocument({ filename: job.filename, bytes }, job.limits);
    parentPort?.postMessage({ id: job.id, result });
  } catch (err) {
    const refusal =
      err instanceof ExtractRefusal
        ? err
        : new ExtractRefusal('corrupt', `${job.filename} could not be read: it may be damaged.`);
    parentPort?.postMessage({ id: job.id, refusal: { reason: refusal.reason, message: refusal.message } });
  }
});
parentPort?.postMessage({ ready: true });
