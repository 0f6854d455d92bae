/**
 * The extractor's contract, shared by chat attachments and the knowledge pipeline. Plain data only: results
 * and refusals cross the worker-thread boundary by structured clone.
 */

/** Where a segment sits in its document. `heading` is the heading path, outermost first, joined by " > ". */
export interface SegmentLocation {
  page?: number;
  sheet?: string;
  slide?: number;
  heading?: string;
}

/**
 * A piece of text with its location. Segments are never split inside a unit the chunker must keep whole:
 * a spreadsheet or CSV segment holds whole rows (one per line), a PDF segment one page, a PPTX one slide.
 */
export interface Segment {
  text: string;
  location: SegmentLocation;
}

export interface ExtractStats {
  /** Input size. */
  bytes: number;
  /** PDF pages, PPTX slides or XLSX sheets in the document (all of them, read or not). */
  pages?: number;
  /** Bytes inflated from the ZIP (OOXML) or from PDF streams during the checks. */
  unpackedBytes?: number;
  /** Paragraphs, rows or slides counted. */
  elements: number;
  /** Characters returned (after normalisation and truncation). */
  chars: number;
  /** Time spent in the worker. */
  ms: number;
}

export interface ExtractResult {
  kind: 'document' | 'image';
  /** Sniffed from the content (extension only for text formats without a signature). */
  mediaType: string;
  segments: Segment[];
  /** 1-based PDF pages without a text layer (scans), for OCR; `[1]` for an image. */
  pagesWithoutText: number[];
  /** The text was cut at `limits.chars`; segments end there. */
  truncated: boolean;
  stats: ExtractStats;
}

/** Why a file was refused; each maps to one HTTP status (see refusal.ts). */
export type RefusalReason =
  | 'empty'
  | 'too_large'
  | 'unsupported'
  | 'corrupt'
  | 'bomb'
  | 'too_many_pages'
  | 'too_many_elements'
  | 'timeout'
  | 'out_of_memory'
  | 'busy';

export type DocumentFormat = 'pdf' | 'docx' | 'xlsx' | 'pptx' | 'text' | 'markdown' | 'csv' | 'json' | 'html';

export interface ExtractLimits {
  /** Largest input per format (and `image`). */
  inputBytes: Record<DocumentFormat | 'image', number>;
  /** OOXML: sum of the declared uncompressed sizes of all entries. */
  unpackedBytes: number;
  /** OOXML: one entry's uncompressed size (the XML we inflate and parse). */
  entryBytes: number;
  /** OOXML: uncompressed/compressed of an entry larger than 1 MB. */
  compressionRatio: number;
  /** OOXML: entries in the central directory. */
  zipEntries: number;
  /** PDF: bytes all Flate streams other than images may inflate to, together. */
  pdfStreamBytes: number;
  /** PDF pages, PPTX slides. Refused above. */
  pages: number;
  /** Paragraphs (DOCX, HTML), cells (XLSX), rows (CSV). Refused above. */
  elements: number;
  /** Characters of text returned. Truncated above (`truncated: true`). */
  chars: number;
  /** Wall-clock time in the worker; the worker is terminated and replaced after it. */
  timeoutMs: number;
}

export interface ExtractInput {
  filename: string;
  bytes: Uint8Array;
}
