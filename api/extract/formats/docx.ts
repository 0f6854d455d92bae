/**
 * DOCX: the package is checked (zip.ts), the paragraphs and tags of word/document.xml are counted before
 * mammoth builds anything from it (a few MB of `<w:p/>` would otherwise become millions of objects), then
 * mammoth renders it to HTML (Heading 1–6 styles become h1–h6) and html-blocks.ts reads the segments.
 */
import type { SegmentSink } from '../segments';
import type { ExtractLimits } from '../types';
import { openZip } from '../zip';
import { checkTagCount, readHtmlBlocks } from './html-blocks';

/** XML tags per paragraph we accept on average (runs, properties, fields). */
const TAGS_PER_ELEMENT = 8;

export async function readDocx(
  name: string,
  bytes: Uint8Array,
  limits: ExtractLimits,
  sink: SegmentSink,
): Promise<{ unpackedBytes: number }> {
  const zip = openZip(name, bytes, limits);
  const xml = zip.text('word/document.xml') ?? '';
  const paragraphs = xml.match(/<w:p[\s>/]/g)?.length ?? 0;
  if (paragraphs > limits.elements) sink.count(paragraphs, 'paragraphs');
  checkTagCount(name, xml, limits.elements * TAGS_PER_ELEMENT, 'XML elements');
  const mammoth = await import('mammoth');
  const { value: html } = await mammoth.convertToHtml(
    { buffer: Buffer.from(bytes) },
    // Images are not text: do not inline them as base64.
    { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) },
  );
  await readHtmlBlocks(html, sink);
  return { unpackedBytes: zip.inflated };
}
