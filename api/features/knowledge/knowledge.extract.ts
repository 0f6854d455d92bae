/**
 * The one seam between knowledge ingestion and file parsing. Today it adapts the chat attachment extractor
 * (api/features/attachments/attachments.extract.ts: type sniffed from the bytes, size limits, PDF per page,
 * DOCX, text files); when the bounded extractor (worker threads, XLSX/PPTX/HTML, locations) lands, only this
 * file changes. Knowledge never parses a format itself.
 */
import { AppError } from '../../lib/errors';
import { assertSize, extractText, sniffType } from '../attachments/attachments.extract';
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

const PAGE_MARKER = /^--- Page (\d+) ---$/gm;

/** The attachment extractor joins PDF pages as `--- Page N ---` sections: split them back into blocks. */
function pdfBlocks(text: string): { blocks: TextBlock[]; pagesWithoutText: number[] } {
  const blocks: TextBlock[] = [];
  const pagesWithoutText: number[] = [];
  const marks = [...text.matchAll(PAGE_MARKER)];
  marks.forEach((m, i) => {
    const page = Number(m[1]);
    const start = (m.index ?? 0) + m[0].length;
    const end = marks[i + 1]?.index ?? text.length;
    const body = text.slice(start, end).trim();
    if (body) blocks.push({ text: body, location: { page } });
    else pagesWithoutText.push(page);
  });
  return { blocks, pagesWithoutText };
}

/** The content's type and whether it can be read at all: refuses empty, oversize and unknown files at once. */
export async function sniffForKnowledge(bytes: Uint8Array, filename: string): Promise<{ mediaType: string }> {
  if (bytes.byteLength === 0) assertSize(filename, 'document', 0);
  const { kind, mediaType } = await sniffType(filename, bytes);
  assertSize(filename, kind, bytes.byteLength);
  return { mediaType };
}

export async function extractForKnowledge(bytes: Uint8Array, filename: string): Promise<KnowledgeExtraction> {
  const { kind, mediaType } = await sniffType(filename, bytes);
  assertSize(filename, kind, bytes.byteLength);
  if (kind === 'image') return { mediaType, blocks: [], pagesWithoutText: [], image: true };
  const text = await extractText(filename, mediaType, bytes);
  if (mediaType === 'application/pdf') return { mediaType, ...pdfBlocks(text), image: false };
  const trimmed = text.trim();
  if (!trimmed) throw new AppError('validation:knowledge', `${filename} contains no text`);
  return { mediaType, blocks: [{ text: trimmed, location: {} }], pagesWithoutText: [], image: false };
}
