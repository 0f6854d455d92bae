/**
 * The one document extractor (chat attachments now, the knowledge pipeline next): `extract()` reads a file
 * off the main event loop in a bounded worker pool and answers segments with locations, or refuses with an
 * ExtractRefusal (413 too large, 415 unsupported, 422 empty/damaged/bomb/too many pages/too slow/too much
 * memory, 503 busy). One instance per process lives in the service container.
 */
import { DEFAULT_LIMITS, formatMb, maxInputBytes, mergeLimits, WORKER_RESOURCE_LIMITS } from './limits';
import { ExtractionPool, type PoolOptions, type PoolStats } from './pool';
import { ExtractRefusal } from './refusal';
import type { ExtractInput, ExtractLimits, ExtractResult } from './types';

export interface ExtractorOptions extends Partial<PoolOptions> {
  limits?: Partial<ExtractLimits>;
}

export class DocumentExtractor {
  readonly limits: ExtractLimits;
  private readonly pool: ExtractionPool;

  constructor(options: ExtractorOptions = {}) {
    this.limits = mergeLimits(DEFAULT_LIMITS, options.limits);
    this.pool = new ExtractionPool({
      size: options.size ?? 1,
      queue: options.queue ?? 4,
      resourceLimits: options.resourceLimits ?? WORKER_RESOURCE_LIMITS,
    });
  }

  /** Reads `input` with the default limits narrowed or widened by `limits`. */
  async extract(input: ExtractInput, limits: Partial<ExtractLimits> = {}): Promise<ExtractResult> {
    const effective = mergeLimits(this.limits, limits);
    // Refused here, before the bytes are copied to a worker; the worker applies the per-type limit.
    const max = maxInputBytes(effective);
    if (input.bytes.byteLength > max)
      throw new ExtractRefusal(
        'too_large',
        `${input.filename} is ${formatMb(input.bytes.byteLength)}; files may be at most ${formatMb(max)}`,
      );
    if (input.bytes.byteLength === 0) throw new ExtractRefusal('empty', `${input.filename} is empty`);
    return this.pool.run({ filename: input.filename, bytes: input.bytes, limits: effective });
  }

  stats(): PoolStats {
    return this.pool.stats();
  }

  warm(): void {
    this.pool.warm();
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
