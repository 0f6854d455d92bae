/**
 * Before pdf.js sees a PDF (it takes seconds just to open a file of 20,000 pages): the page objects are
 * counted in the raw bytes, and every Flate stream that is not an image is inflated with a capped output and
 * thrown away, so a stream that would unpack to hundreds of MB (pdf.js keeps a decoded content stream whole,
 * then builds an operator list from it) is refused in well under a second. Images are skipped: text
 * extraction never decodes them. Streams cannot hide in object streams (PDF 32000-1 §7.5.7), so a linear scan
 * of the file for the `stream` keyword finds them all.
 */
import { constants, inflateSync } from 'node:zlib';
import { formatMb } from '../limits';
import { ExtractRefusal } from '../refusal';
import type { ExtractLimits } from '../types';

/** How far back from `stream` the object's dictionary may start. */
const DICT_WINDOW = 4096;

const bomb = (name: string, what: string) =>
  new ExtractRefusal('bomb', `${name} is refused: ${what} (a decompression bomb).`);

/** A page object's dictionary (`/Type /Page`, not `/Pages`). */
const PAGE_OBJECT = /\/Type\s*\/Page(?![A-Za-z])/g;

/**
 * Refuses more page objects than `limits.pages`, and Flate streams over `limits.entryBytes` each or
 * `pdfStreamBytes` together; answers the bytes inflated. Pages kept in compressed object streams are not
 * seen here: pdf.js's page count (pdf.ts) still applies to them.
 */
export function precheckPdf(
  name: string,
  bytes: Uint8Array,
  limits: Pick<ExtractLimits, 'entryBytes' | 'pdfStreamBytes' | 'pages'>,
): number {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer.toString('latin1');
  const pages = text.match(PAGE_OBJECT)?.length ?? 0;
  if (pages > limits.pages) throw tooManyPages(name, pages, limits.pages);
  return checkStreams(name, buffer, text, limits);
}

export function tooManyPages(name: string, pages: number, max: number): ExtractRefusal {
  return new ExtractRefusal(
    'too_many_pages',
    `${name} is refused: it has ${pages.toLocaleString('en')} pages (at most ${max.toLocaleString('en')}).`,
  );
}

function checkStreams(
  name: string,
  buffer: Buffer,
  text: string,
  limits: Pick<ExtractLimits, 'entryBytes' | 'pdfStreamBytes'>,
): number {
  let total = 0;
  let at = text.indexOf('stream', 0);
  while (at >= 0) {
    const next = text.indexOf('stream', at + 6);
    const isKeyword = text.slice(at - 3, at) !== 'end';
    const dataStart = text[at + 6] === '\r' && text[at + 7] === '\n' ? at + 8 : at + 7;
    if (isKeyword && (text[at + 6] === '\n' || text[at + 6] === '\r')) {
      const dict = dictionaryBefore(text, at);
      if (/\/Filter\s*(\[\s*)?\/FlateDecode/.test(dict) && !/\/Subtype\s*\/Image/.test(dict)) {
        const end = text.indexOf('endstream', dataStart);
        const data = buffer.subarray(dataStart, end < 0 ? buffer.length : end);
        const cap = Math.min(limits.entryBytes, limits.pdfStreamBytes - total);
        total += inflatedSize(name, data, cap);
        if (end > 0) {
          at = text.indexOf('stream', end + 9);
          continue;
        }
      }
    }
    at = next;
  }
  return total;
}

function dictionaryBefore(text: string, at: number): string {
  const from = Math.max(0, at - DICT_WINDOW);
  const window = text.slice(from, at);
  const obj = window.lastIndexOf(' obj');
  return obj >= 0 ? window.slice(obj) : window;
}

function inflatedSize(name: string, data: Buffer, cap: number): number {
  try {
    return inflateSync(data, { maxOutputLength: cap + 1, finishFlush: constants.Z_SYNC_FLUSH }).length;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError)
      throw bomb(name, `a stream in it unpacks to more than ${formatMb(cap)}`);
    // A damaged stream is pdf.js's to tolerate or reject; it cannot unpack to much.
    return 0;
  }
}
