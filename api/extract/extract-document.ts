/**
 * One extraction, start to end, in the current thread: sniff, size check per type, the format's reader
 * with its limits, normalised segments. The pool (pool.ts) runs this inside a worker thread; nothing calls it
 * on the main event loop except unit tests.
 */
import { readDocx } from './formats/docx';
import { readHtml } from './formats/html';
import { readPdf } from './formats/pdf';
import { readPptx } from './formats/pptx';
import { addRows, csvRows, decodeUtf8, readMarkdown, readPlain } from './formats/text';
import { readXlsx } from './formats/xlsx';
import { formatMb } from './limits';
import { ExtractRefusal } from './refusal';
import { SegmentSink } from './segments';
import { sniffType } from './sniff';
import type { ExtractInput, ExtractLimits, ExtractResult } from './types';

export async function extractDocument(input: ExtractInput, limits: ExtractLimits): Promise<ExtractResult> {
  const started = performance.now();
  const { filename: name, bytes } = input;
  if (bytes.byteLength === 0) throw new ExtractRefusal('empty', `${name} is empty`);
  const sniffed = await sniffType(name, bytes);
  const max = limits.inputBytes[sniffed.format];
  if (bytes.byteLength > max)
    throw new ExtractRefusal(
      'too_large',
      `${name} is ${formatMb(bytes.byteLength)}; ${sniffed.kind === 'image' ? 'images' : `${sniffed.format.toUpperCase()} files`} may be at most ${formatMb(max)}`,
    );
  const sink = new SegmentSink(name, limits);
  const result: ExtractResult = {
    kind: sniffed.kind,
    mediaType: sniffed.mediaType,
    segments: sink.segments,
    pagesWithoutText: [],
    truncated: false,
    stats: { bytes: bytes.byteLength, elements: 0, chars: 0, ms: 0 },
  };
  try {
    switch (sniffed.format) {
      case 'image':
        result.pagesWithoutText = [1];
        break;
      case 'pdf': {
        const pdf = await readPdf(name, bytes, limits, sink);
        result.pagesWithoutText = pdf.pagesWithoutText;
        Object.assign(result.stats, { pages: pdf.pages, unpackedBytes: pdf.unpackedBytes });
        break;
      }
      case 'docx':
        result.stats.unpackedBytes = (await readDocx(name, bytes, limits, sink)).unpackedBytes;
        break;
      case 'xlsx': {
        const xlsx = await readXlsx(name, bytes, limits, sink);
        Object.assign(result.stats, { pages: xlsx.sheets, unpackedBytes: xlsx.unpackedBytes });
        break;
      }
      case 'pptx': {
        const pptx = await readPptx(name, bytes, limits, sink);
        Object.assign(result.stats, { pages: pptx.slides, unpackedBytes: pptx.unpackedBytes });
        break;
      }
      case 'markdown':
        readMarkdown(decodeUtf8(bytes), sink);
        break;
      case 'csv':
        addRows(csvRows(decodeUtf8(bytes)), {}, sink);
        break;
      case 'html':
        await readHtml(name, decodeUtf8(bytes), limits, sink);
        break;
      default:
        readPlain(decodeUtf8(bytes), sink);
    }
  } catch (err) {
    if (err instanceof ExtractRefusal) throw err;
    throw new ExtractRefusal('corrupt', `${name} could not be read: it may be damaged or protected.`, {
      cause: err,
    });
  }
  result.truncated = sink.truncated;
  Object.assign(result.stats, {
    elements: sink.elements,
    chars: sink.chars,
    ms: Math.round(performance.now() - started),
  });
  return result;
}
