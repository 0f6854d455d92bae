/**
 * Parser and decompression bombs built in memory (nothing big is committed): a PDF of many pages, a PDF
 * with one Flate stream that inflates to hundreds of MB (compressed as a stream, so building it never holds
 * the inflated bytes), and re-exported the DOCX of tiny paragraphs.
 */
import { once } from 'node:events';
import { createDeflate } from 'node:zlib';
import { buildPdf, HELVETICA, type PdfObject } from './documents';

export { makeDocxBomb } from './documents';

/** A small PDF with `count` pages that all share one content stream. */
export function makeManyPagesPdf(count: number): Uint8Array {
  const stream = 'BT /F1 12 Tf 72 720 Td (Page) Tj ET';
  const objects: PdfObject[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${Array.from({ length: count }, (_, i) => `${5 + i} 0 R`).join(' ')}] /Count ${count} >>`,
    { dict: `<< /Length ${stream.length} >>`, data: Buffer.from(stream, 'latin1') },
    HELVETICA,
  ];
  for (let i = 0; i < count; i++)
    objects.push(
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>',
    );
  return buildPdf(objects);
}

/** A one-page PDF whose content stream inflates to `mb` MB of text-showing operators. */
export async function makeInflatingPdf(mb: number): Promise<Uint8Array> {
  const line = Buffer.from('BT /F1 12 Tf 72 720 Td (All work and no play) Tj ET\n', 'latin1');
  const chunk = Buffer.concat(Array.from({ length: Math.ceil((1024 * 1024) / line.length) }, () => line));
  const deflate = createDeflate({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (b: Buffer) => out.push(b));
  for (let i = 0; i < mb; i++) if (!deflate.write(chunk)) await once(deflate, 'drain');
  deflate.end();
  await once(deflate, 'end');
  const data = Buffer.concat(out);
  return buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    { dict: `<< /Length ${data.length} /Filter /FlateDecode >>`, data },
    HELVETICA,
  ]);
}
