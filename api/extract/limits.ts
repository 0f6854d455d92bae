/**
 * Default extraction limits (docs/decisions/014-bounded-document-extraction.md has the reasoning and the
 * measured figures). Callers narrow or widen them per call: chat attachments keep 90,000 characters, the
 * knowledge pipeline reads whole documents.
 */
import type { ExtractLimits } from './types';

const MB = 1024 * 1024;

export const DEFAULT_LIMITS: ExtractLimits = {
  inputBytes: {
    image: 10 * MB,
    pdf: 20 * MB,
    docx: 20 * MB,
    xlsx: 20 * MB,
    pptx: 30 * MB,
    text: 20 * MB,
    markdown: 20 * MB,
    csv: 20 * MB,
    json: 20 * MB,
    html: 10 * MB,
  },
  unpackedBytes: 200 * MB,
  entryBytes: 32 * MB,
  compressionRatio: 100,
  zipEntries: 10_000,
  pdfStreamBytes: 64 * MB,
  pages: 2_000,
  elements: 200_000,
  chars: 5_000_000,
  timeoutMs: 30_000,
};

/** The largest input any format accepts: a bigger body is refused before it reaches a worker. */
export const maxInputBytes = (limits: ExtractLimits) => Math.max(...Object.values(limits.inputBytes));

/** Memory of one extraction worker (V8 heap); typed arrays outside it are bounded by the limits above. */
export const WORKER_RESOURCE_LIMITS = {
  maxOldGenerationSizeMb: 384,
  maxYoungGenerationSizeMb: 32,
  stackSizeMb: 4,
};

export function mergeLimits(base: ExtractLimits, overrides: Partial<ExtractLimits> = {}): ExtractLimits {
  return { ...base, ...overrides, inputBytes: { ...base.inputBytes, ...overrides.inputBytes } };
}

export const formatMb = (bytes: number) => `${Math.round((bytes / MB) * 10) / 10} MB`;
