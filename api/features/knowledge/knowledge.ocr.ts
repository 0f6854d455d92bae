/**
 * OCR: PDF pages without a text layer and images go to a worker thread (ocr.worker.mjs) running
 * tesseract.js with its npm-shipped English data (offline, the default); when Amazon Textract is configured,
 * the worker only rasterises PDF pages and Textract reads them (and PNG/JPEG images) instead
 * (knowledge.textract.ts). The engine's name travels with the text into each chunk's location
 * (`ocr: 'tesseract' | 'textract'`) so the UI can say which engine read a page.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../lib/errors';
import { TEXTRACT_IMAGE_TYPES, type TextractOcr } from './knowledge.textract';

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
  /** Which engine read it: 'tesseract' or 'textract'. */
  engine: string;
}

export interface OcrInput {
  kind: 'pdf' | 'image';
  bytes: Uint8Array;
  /** The image's type (Textract reads PNG and JPEG; other images go to tesseract). */
  mediaType?: string;
  pages: number[];
  onPage?: (page: OcrPage, done: number) => void | Promise<void>;
  /** Amazon Textract when configured; tesseract otherwise. */
  textract?: TextractOcr | null;
}

/** Reads `pages` of a PDF (1-based) or the single image; calls `onPage` as each page finishes. */
export async function ocr(input: OcrInput): Promise<OcrPage[]> {
  const { textract } = input;
  if (textract && input.kind === 'image' && TEXTRACT_IMAGE_TYPES.has(input.mediaType ?? '')) {
    const page = { page: 1, engine: textract.engine, ...(await textract.detectText(input.bytes)) };
    await input.onPage?.(page, 1);
    return [page];
  }
  return inWorker({ ...input, textract: input.kind === 'pdf' ? textract : null });
}

function inWorker(input: OcrInput): Promise<OcrPage[]> {
  const pages = input.kind === 'image' ? [1] : input.pages.slice(0, MAX_OCR_PAGES);
  if (pages.length === 0) return Promise.resolve([]);
  const textract = input.textract;
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, {
      workerData: {
        kind: input.kind,
        bytes: input.bytes,
        pages,
        langPath: LANG_PATH,
        rasterOnly: Boolean(textract),
      },
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
    /** The worker posted everything (it may exit while Textract still reads the last pages). */
    let rendered = false;
    const done = async (page: OcrPage) => {
      results.push(page);
      await input.onPage?.(page, results.length);
    };
    worker.on('message', (msg: { type: string; message?: string; png?: Uint8Array } & OcrPage) => {
      if (msg.type === 'page') {
        arm();
        const page = { page: msg.page, text: msg.text, confidence: msg.confidence, engine: OCR_ENGINE };
        chain = chain.then(() => done(page));
      } else if (msg.type === 'image' && textract && msg.png) {
        // Pages are read one at a time, in order; the page timer runs per Textract call.
        const png = msg.png;
        chain = chain.then(async () => {
          arm();
          const read = await textract.detectText(png);
          arm();
          await done({ page: msg.page, engine: textract.engine, ...read });
        });
        chain.catch(finish); // the first failed page ends the run
      } else if (msg.type === 'done') {
        rendered = true;
        chain.then(() => finish(null), finish);
      } else if (msg.type === 'error')
        finish(new AppError('validation:knowledge', `OCR could not read this file: ${msg.message}`));
    });
    worker.on('error', (err) => finish(err));
    worker.on('exit', (code) => {
      if (!settled && !(rendered && code === 0)) finish(new Error(`OCR worker exited with code ${code}`));
    });
  });
}
