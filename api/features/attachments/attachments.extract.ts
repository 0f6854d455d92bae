/**
 * What an uploaded file is and what text it holds. The type comes from the bytes (magic numbers via
 * file-type); only formats without a signature (plain text, Markdown, CSV) fall back to the extension, and
 * then the bytes must decode as UTF-8 text. The extension never overrides a detected binary type, so a
 * renamed executable is refused, not read as "notes.txt".
 */
import { fileTypeFromBuffer } from 'file-type';
import { AppError } from '../../lib/errors';

export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const TEXT_BY_EXTENSION: Record<string, string> = {
  txt: 'text/plain',
  text: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  json: 'application/json',
};

export const LIMITS = {
  imageBytes: 10 * 1024 * 1024,
  documentBytes: 20 * 1024 * 1024,
  /** Text handed to the model per document (a chat text part holds at most 100,000 characters). */
  documentChars: 90_000,
};

export type AttachmentKind = 'image' | 'document';

export interface SniffedType {
  kind: AttachmentKind;
  mediaType: string;
}

const extensionOf = (name: string) => /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';

const unsupported = (name: string, what: string) =>
  new AppError(
    'unsupported_media_type:attachments',
    `${name}: ${what} is not supported. Attach an image (PNG, JPEG, GIF, WebP) or a document (PDF, DOCX, TXT, MD, CSV).`,
    { details: { fields: { file: 'unsupported file type' } } },
  );

/** Decides the type from the content; throws 415 naming what was found. */
export async function sniffType(filename: string, bytes: Uint8Array): Promise<SniffedType> {
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) {
    if ((IMAGE_TYPES as readonly string[]).includes(detected.mime))
      return { kind: 'image', mediaType: detected.mime };
    if (detected.mime === 'application/pdf') return { kind: 'document', mediaType: detected.mime };
    // DOCX is a ZIP; file-type recognises it by its [Content_Types].xml.
    if (detected.mime === DOCX) return { kind: 'document', mediaType: DOCX };
    throw unsupported(filename, `a ${detected.ext.toUpperCase()} file (${detected.mime})`);
  }
  const byExtension = TEXT_BY_EXTENSION[extensionOf(filename)];
  if (byExtension && isUtf8Text(bytes)) return { kind: 'document', mediaType: byExtension };
  throw unsupported(filename, byExtension ? 'a file that is not UTF-8 text' : 'this kind of file');
}

function isUtf8Text(bytes: Uint8Array): boolean {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, 64 * 1024));
    // Control characters other than tab, newline, form feed and carriage return mean binary data.
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) return false;
    }
    return true;
  } catch {
    return false;
  }
}

export function assertSize(filename: string, kind: AttachmentKind, size: number): void {
  const limit = kind === 'image' ? LIMITS.imageBytes : LIMITS.documentBytes;
  if (size === 0) {
    throw new AppError('validation:attachments', `${filename} is empty`, {
      details: { fields: { file: 'is empty' } },
    });
  }
  if (size > limit) {
    throw new AppError(
      'payload_too_large:attachments',
      `${filename} is ${(size / 1024 / 1024).toFixed(1)} MB; ${kind === 'image' ? 'images' : 'documents'} may be at most ${limit / 1024 / 1024} MB`,
      { details: { fields: { file: `larger than ${limit / 1024 / 1024} MB` } } },
    );
  }
}

/** The document's text (PDF pages joined, DOCX as plain text, text files as they are). */
export async function extractText(filename: string, mediaType: string, bytes: Uint8Array): Promise<string> {
  try {
    if (mediaType === 'application/pdf') {
      const { extractText: pdfText, getDocumentProxy } = await import('unpdf');
      const pdf = await getDocumentProxy(new Uint8Array(bytes));
      const { text } = await pdfText(pdf, { mergePages: false });
      return (text as string[]).map((page, i) => `--- Page ${i + 1} ---\n${page.trim()}`).join('\n\n');
    }
    if (mediaType === DOCX) {
      const mammoth = await import('mammoth');
      const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
      return value;
    }
    return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  } catch (err) {
    throw new AppError(
      'validation:attachments',
      `${filename} could not be read: it may be damaged or protected`,
      {
        cause: err,
        details: { fields: { file: 'could not be read' } },
      },
    );
  }
}
