/**
 * Offline OCR: PDF pages without a text layer and images go to a worker thread (ocr.worker.mjs) running
 * tesseract.js with its npm-shipped English data. The engine's name travels with the text into each chunk's
 * location (`ocr: 'tesseract'`) so the UI can say which pages were read from pixels.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../lib/errors';

export const OCR_ENGINE = 'tesseract';
/** A page that takes longer than this to rasterise and read is given up (the item fails with a reason). */
const PAGE_TIMEOUT_MS = 60_000;
/** OCR at most this many pages of one document (beyond it the rest is reported as not read). */
export const MAX_OCR_PAGES = 200;

const require = createRequire(import.meta.url);
const LANG_PATH = path.join(
  path.dirname(require.resolve('@tesseract.js-data/eng/package.json')),
  '4.0.0_best_int',
);
const WORKER_URL = new URL('./ocr.worker.mjs', import.meta.url);

export interface OcrPage {
  page: number;
  text: string;
  confidence: number;
}

/** Reads `pages` of a PDF (1-based) or the single image; calls `onPage` as each page finishes. */
export function ocr(input: {
  kind: 'pdf' | 'image';
  bytes: Uint8Array;
  pages: number[];
  onPage?: (page: OcrPage, done: number) => void | Promise<void>;
}): Promise<OcrPage[]> {
  const pages = input.kind === 'image' ? [1] : input.pages.slice(0, MAX_OCR_PAGES);
  if (pages.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, {
      workerData: { kind: input.kind, bytes: input.bytes, pages, langPath: LANG_PATH },
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    });
    const results: OcrPage[] = [];
    let timer: NodeJS.Timeout;
    let settled = false;
    const finish = (err: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (err) reject(err);
      else resolve(results);
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () => finish(new AppError('validation:knowledge', 'OCR took too long on a page and was stopped')),
        PAGE_TIMEOUT_MS,
      );
    };
    arm();
    let chain = Promise.resolve();
    worker.on('message', (msg: { type: string; message?: string } & OcrPage) => {
      if (msg.type === 'page') {
        arm();
        const page = { page: msg.page, text: msg.text, confidence: msg.confidence };
        results.push(page);
        chain = chain.then(() => input.onPage?.(page, results.length));
      } else if (msg.type === 'done') chain.then(() => finish(null), finish);
      else if (msg.type === 'error')
        finish(new AppError('validation:knowledge', `OCR could not read this file: ${msg.message}`));
    });
    worker.on('error', (err) => finish(err));
    worker.on('exit', (code) => {
      if (!settled) finish(new Error(`OCR worker exited with code ${code}`));
    });
  });
}
