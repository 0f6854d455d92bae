/**
 * PDF: one segment per page (unpdf's pdf.js). The page count is checked before any page is read, pages are
 * read one at a time (not all at once, as unpdf's extractText does) and reading stops at the character
 * limit. Pages without a text layer are listed for OCR.
 */
import { ExtractRefusal } from '../refusal';
import type { SegmentSink } from '../segments';
import type { ExtractLimits } from '../types';
import { precheckPdf, tooManyPages } from './pdf-precheck';

interface TextItem {
  str?: string;
  hasEOL?: boolean;
}

export async function readPdf(
  name: string,
  bytes: Uint8Array,
  limits: ExtractLimits,
  sink: SegmentSink,
): Promise<{ pages: number; unpackedBytes: number; pagesWithoutText: number[] }> {
  const unpackedBytes = precheckPdf(name, bytes, limits);
  const { getDocumentProxy } = await import('unpdf');
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes), { isEvalSupported: false, stopAtErrors: false });
  } catch (err) {
    const isPassword = (err as { name?: string }).name === 'PasswordException';
    throw new ExtractRefusal(
      'corrupt',
      `${name} could not be read: ${isPassword ? 'it is password-protected' : 'it may be damaged'}.`,
      { cause: err },
    );
  }
  try {
    const pages = pdf.numPages;
    if (pages > limits.pages) throw tooManyPages(name, pages, limits.pages);
    const pagesWithoutText: number[] = [];
    for (let n = 1; n <= pages && !sink.full; n++) {
      sink.count(1, 'pages');
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      const text = (content.items as TextItem[])
        .map((item) => (item.str ?? '') + (item.hasEOL ? '\n' : ''))
        .join('');
      page.cleanup();
      if (!text.trim()) pagesWithoutText.push(n);
      else sink.add(text, { page: n });
    }
    return { pages, unpackedBytes, pagesWithoutText };
  } finally {
    await pdf.destroy();
  }
}
