/**
 * What a file is, from its bytes (magic numbers via file-type). Only formats without a signature (plain
 * text, Markdown, CSV, JSON, HTML) fall back to the extension, and then the bytes must decode as UTF-8 text.
 * The extension never overrides a detected binary type, so a renamed executable is refused, not read as
 * "notes.txt".
 */
import { fileTypeFromBuffer } from 'file-type';
import { ExtractRefusal } from './refusal';
import type { DocumentFormat } from './types';

export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

export const MEDIA_TYPES = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  text: 'text/plain',
  markdown: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  html: 'text/html',
} as const satisfies Record<DocumentFormat, string>;

const BINARY_FORMATS: Record<string, DocumentFormat> = {
  [MEDIA_TYPES.pdf]: 'pdf',
  [MEDIA_TYPES.docx]: 'docx',
  [MEDIA_TYPES.xlsx]: 'xlsx',
  [MEDIA_TYPES.pptx]: 'pptx',
};

const TEXT_BY_EXTENSION: Record<string, { format: DocumentFormat; mediaType: string }> = {
  txt: { format: 'text', mediaType: 'text/plain' },
  text: { format: 'text', mediaType: 'text/plain' },
  md: { format: 'markdown', mediaType: 'text/markdown' },
  markdown: { format: 'markdown', mediaType: 'text/markdown' },
  csv: { format: 'csv', mediaType: 'text/csv' },
  tsv: { format: 'csv', mediaType: 'text/tab-separated-values' },
  json: { format: 'json', mediaType: 'application/json' },
  html: { format: 'html', mediaType: 'text/html' },
  htm: { format: 'html', mediaType: 'text/html' },
};

export const SUPPORTED_TYPES =
  'images (PNG, JPEG, GIF, WebP) and documents (PDF, DOCX, XLSX, PPTX, TXT, MD, CSV, JSON, HTML)';

export type Sniffed =
  | { kind: 'image'; mediaType: string; format: 'image' }
  | { kind: 'document'; mediaType: string; format: DocumentFormat };

const extensionOf = (name: string) => /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';

const unsupported = (name: string, what: string) =>
  new ExtractRefusal('unsupported', `${name}: ${what} is not supported. Supported: ${SUPPORTED_TYPES}.`);

/** Decides the type from the content; refuses (415) naming what was found. */
export async function sniffType(filename: string, bytes: Uint8Array): Promise<Sniffed> {
  const detected = await fileTypeFromBuffer(bytes);
  const byExtension = TEXT_BY_EXTENSION[extensionOf(filename)];
  if (detected) {
    if ((IMAGE_TYPES as readonly string[]).includes(detected.mime))
      return { kind: 'image', mediaType: detected.mime, format: 'image' };
    const format = BINARY_FORMATS[detected.mime];
    if (format) return { kind: 'document', mediaType: detected.mime, format };
    // XHTML starts with an XML declaration, which file-type reports as XML.
    if (detected.mime === 'application/xml' && byExtension?.format === 'html' && isUtf8Text(bytes))
      return { kind: 'document', ...byExtension };
    throw unsupported(filename, `a ${detected.ext.toUpperCase()} file (${detected.mime})`);
  }
  if (byExtension && isUtf8Text(bytes)) return { kind: 'document', ...byExtension };
  throw unsupported(filename, byExtension ? 'a file that is not UTF-8 text' : 'this kind of file');
}

function isUtf8Text(bytes: Uint8Array): boolean {
  try {
    // A multi-byte character cut at the end of the sample is not an error.
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, 64 * 1024), {
      stream: true,
    });
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
