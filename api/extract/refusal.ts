/**
 * A file the extractor will not read, with a message that names it. It is an AppError (surface `extract`),
 * so a caller can rethrow it as is or under its own surface with `forSurface`.
 */
import { AppError } from '../lib/errors';
import type { RefusalReason } from './types';

const CODE_TYPE: Record<RefusalReason, string> = {
  empty: 'validation',
  too_large: 'payload_too_large',
  unsupported: 'unsupported_media_type',
  corrupt: 'validation',
  bomb: 'validation',
  too_many_pages: 'validation',
  too_many_elements: 'validation',
  timeout: 'validation',
  out_of_memory: 'validation',
  busy: 'unavailable',
};

/** What the refusal says about the `file` field. */
const FIELD: Record<RefusalReason, string> = {
  empty: 'is empty',
  too_large: 'too large',
  unsupported: 'unsupported file type',
  corrupt: 'could not be read',
  bomb: 'unpacks to too much data',
  too_many_pages: 'too many pages',
  too_many_elements: 'too many parts',
  timeout: 'took too long to read',
  out_of_memory: 'needs too much memory to read',
  busy: 'try again shortly',
};

export class ExtractRefusal extends AppError {
  constructor(
    readonly reason: RefusalReason,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(`${CODE_TYPE[reason]}:extract`, message, {
      cause: options.cause,
      details: { reason, fields: { file: FIELD[reason] } },
      headers: reason === 'busy' ? { 'retry-after': '5' } : {},
    });
    this.name = 'ExtractRefusal';
  }

  /** The same refusal under another surface's code (e.g. `payload_too_large:attachments`). */
  forSurface(surface: string): AppError {
    return new AppError(`${CODE_TYPE[this.reason]}:${surface}`, this.message, {
      cause: this,
      details: this.details,
      headers: this.headers,
    });
  }
}

/** The plain form a refusal travels in from the worker thread. */
export interface RefusalData {
  reason: RefusalReason;
  message: string;
}

export const isRefusalData = (v: unknown): v is RefusalData =>
  typeof v === 'object' && v !== null && 'reason' in v && 'message' in v;
