/**
 * Reading an OOXML package (a ZIP) without trusting it: the central directory is read first and the file is
 * refused before anything is inflated when it declares too many entries, too much data or a ratio no real
 * document has; an entry is then inflated with a hard output cap, so a directory that lies about sizes
 * cannot make us hold more than the cap (APPNOTE.TXT §4.3.12, §4.3.16).
 */
import { constants, inflateRawSync } from 'node:zlib';
import { formatMb } from './limits';
import { ExtractRefusal } from './refusal';
import type { ExtractLimits } from './types';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const RATIO_FLOOR = 1024 * 1024;

const corrupt = (name: string, what: string) =>
  new ExtractRefusal('corrupt', `${name} could not be read: ${what}. It may be damaged.`);

/** The central directory's entries. */
export function readZipEntries(name: string, bytes: Uint8Array, maxEntries: number): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record is in the last 22 + 65,535 (comment) bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt(name, 'it is not a complete ZIP package');
  const count = view.getUint16(eocd + 10, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || dirOffset === 0xffffffff)
    throw new ExtractRefusal('bomb', `${name} is refused: ZIP64 packages are not accepted for documents.`);
  if (count > maxEntries)
    throw new ExtractRefusal('bomb', `${name} is refused: it holds ${count} parts (at most ${maxEntries}).`);
  const entries: ZipEntry[] = [];
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CENTRAL)
      throw corrupt(name, 'its ZIP directory is broken');
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    entries.push({
      method: view.getUint16(p + 10, true),
      compressedSize: view.getUint32(p + 20, true),
      uncompressedSize: view.getUint32(p + 24, true),
      localHeaderOffset: view.getUint32(p + 42, true),
      name: new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLength)),
    });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Refuses a package whose directory declares more than the limits allow; answers the total it declares. */
export function checkZipDirectory(name: string, entries: ZipEntry[], limits: ExtractLimits): number {
  let total = 0;
  for (const e of entries) {
    total += e.uncompressedSize;
    if (e.uncompressedSize > limits.entryBytes)
      throw new ExtractRefusal(
        'bomb',
        `${name} is refused: its part ${e.name} unpacks to ${formatMb(e.uncompressedSize)} (at most ${formatMb(limits.entryBytes)}).`,
      );
    if (
      e.uncompressedSize > RATIO_FLOOR &&
      e.uncompressedSize > limits.compressionRatio * Math.max(1, e.compressedSize)
    )
      throw new ExtractRefusal(
        'bomb',
        `${name} is refused: its part ${e.name} is compressed ${Math.round(e.uncompressedSize / Math.max(1, e.compressedSize))} to 1 (a decompression bomb; at most ${limits.compressionRatio} to 1).`,
      );
  }
  if (total > limits.unpackedBytes)
    throw new ExtractRefusal(
      'bomb',
      `${name} is refused: it unpacks to ${formatMb(total)} (at most ${formatMb(limits.unpackedBytes)}).`,
    );
  return total;
}

/** One entry's bytes, inflated with the output capped at what the directory declared (and `maxBytes`). */
export function readZipEntry(name: string, bytes: Uint8Array, entry: ZipEntry, maxBytes: number): Buffer {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL)
    throw corrupt(name, `its part ${entry.name} is missing`);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const data = bytes.subarray(start, start + entry.compressedSize);
  const cap = Math.min(entry.uncompressedSize, maxBytes);
  if (entry.method === 0) return Buffer.from(data.subarray(0, cap));
  if (entry.method !== 8) throw corrupt(name, `its part ${entry.name} uses an unknown compression`);
  try {
    // One byte over the declared size means the directory lied: refuse rather than trust either number.
    const out = inflateRawSync(data, { maxOutputLength: cap + 1, finishFlush: constants.Z_SYNC_FLUSH });
    if (out.length > cap) throw new RangeError('over');
    return out;
  } catch (err) {
    if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new ExtractRefusal(
        'bomb',
        `${name} is refused: its part ${entry.name} unpacks to more than its declared ${formatMb(cap)}.`,
      );
    throw corrupt(name, `its part ${entry.name} is damaged`);
  }
}

/** The package opened for reading: checked directory, entries by name, capped reads. */
export function openZip(name: string, bytes: Uint8Array, limits: ExtractLimits) {
  const entries = readZipEntries(name, bytes, limits.zipEntries);
  const declared = checkZipDirectory(name, entries, limits);
  const byName = new Map(entries.map((e) => [e.name, e]));
  let inflated = 0;
  return {
    entries,
    declared,
    get inflated() {
      return inflated;
    },
    has: (path: string) => byName.has(path),
    /** The entry as UTF-8 text; undefined when absent. */
    text(path: string): string | undefined {
      const entry = byName.get(path);
      if (!entry) return undefined;
      const out = readZipEntry(name, bytes, entry, limits.entryBytes);
      inflated += out.length;
      return out.toString('utf8');
    },
  };
}
export type OpenZip = ReturnType<typeof openZip>;
