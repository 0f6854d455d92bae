/**
 * The one seam between knowledge ingestion and file parsing: the bounded document extractor (api/extract —
 * worker threads, limits, per-type parsers with locations and pages without text). Knowledge never parses
 * a format itself.
 */
import type { DocumentExtractor } from '../../extract/extractor';
import { formatMb } from '../../extract/limits';
import { ExtractRefusal } from '../../extract/refusal';
import { sniffType } from '../../extract/sniff';
import type { TextBlock } from './knowledge.chunk';

export interface KnowledgeExtraction {
  mediaType: string;
  /** Text with its location (a page, a sheet, a slide; a heading path for structured text). */
  blocks: TextBlock[];
  /** 1-based PDF pages that have no text layer: OCR reads them. */
  pagesWithoutText: number[];
  /** The whole source is an image: OCR reads it. */
  image: boolean;
}

/** The content's type and whether it can be read at all: refuses empty, oversize and unknown files at once. */
export async function sniffForKnowledge(
  extractor: DocumentExtractor,
  bytes: Uint8Array,
  filename: string,
): Promise<{ mediaType: string }> {
  if (bytes.byteLength === 0) throw new ExtractRefusal('empty', `${filename} is empty`);
  const sniffed = await sniffType(filename, bytes);
  const limit = extractor.limits.inputBytes[sniffed.format];
  if (bytes.byteLength > limit)
    throw new ExtractRefusal(
      'too_large',
      `${filename} is ${formatMb(bytes.byteLength)}; this kind of file may be at most ${formatMb(limit)}`,
    );
  return { mediaType: sniffed.mediaType };
}

export async function extractForKnowledge(
  extractor: DocumentExtractor,
  bytes: Uint8Array,
  filename: string,
): Promise<KnowledgeExtraction> {
  const result = await extractor.extract({ filename, bytes });
  return {
    mediaType: result.mediaType,
    blocks: result.segments.map((s) => ({ text: s.text, location: { ...s.location } })),
    pagesWithoutText: result.kind === 'image' ? [] : result.pagesWithoutText,
    image: result.kind === 'image',
  };
}
