/**
 * OCR off the main thread (a worker_threads worker; plain JavaScript so it loads under any TypeScript loader).
 * Input (workerData): { kind: 'pdf' | 'image', bytes: Uint8Array, pages: number[], langPath: string,
 * rasterOnly?: boolean }.
 * PDF pages are rasterised by unpdf (pdf.js) onto @napi-rs/canvas at 2x, then read by tesseract.js with the
 * English data shipped in @tesseract.js-data/eng — no network (cacheMethod 'none', STACK-NOTES 12).
 * Posts { type: 'page', page, text, confidence } per page, then { type: 'done' }; errors as { type: 'error' }.
 * With rasterOnly (Textract reads the pages instead), posts { type: 'image', page, png } per PDF page.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createWorker } from 'tesseract.js';

const { kind, bytes, pages, langPath, rasterOnly } = workerData;

async function* pageImages() {
  const { getDocumentProxy, renderPageAsImage } = await import('unpdf');
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  for (const page of pages) {
    const png = await renderPageAsImage(pdf, page, {
      canvasImport: () => import('@napi-rs/canvas'),
      scale: 2,
    });
    yield { page, png };
  }
}

async function main() {
  if (rasterOnly) {
    for await (const { page, png } of pageImages()) {
      const copy = new Uint8Array(png);
      parentPort.postMessage({ type: 'image', page, png: copy }, [copy.buffer]);
    }
    parentPort.postMessage({ type: 'done' });
    return;
  }
  const tesseract = await createWorker('eng', 1, { langPath, cacheMethod: 'none', gzip: true });
  try {
    if (kind === 'image') {
      const { data } = await tesseract.recognize(Buffer.from(bytes));
      parentPort.postMessage({ type: 'page', page: 1, text: data.text, confidence: data.confidence });
    } else {
      for await (const { page, png } of pageImages()) {
        const { data } = await tesseract.recognize(Buffer.from(png));
        parentPort.postMessage({ type: 'page', page, text: data.text, confidence: data.confidence });
      }
    }
  } finally {
    await tesseract.terminate();
  }
  parentPort.postMessage({ type: 'done' });
}

main().catch((err) => parentPort.postMessage({ type: 'error', message: String(err?.message ?? err) }));
