/** How the UI names the engine that read a page without text (the chunk's `location.ocr`). */
const ENGINES: Record<string, string> = {
  tesseract: 'Tesseract, offline',
  textract: 'Amazon Textract',
};

export const ocrEngineLabel = (engine: string): string =>
  engine
    .split(', ')
    .map((e) => ENGINES[e] ?? e)
    .join(', ');
