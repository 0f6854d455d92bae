/**
 * Formats that are text already. Plain text and JSON: one segment per paragraph (blank-line separated).
 * Markdown: the same, under the heading path of its `#` lines, with a fenced code block kept whole.
 * CSV/TSV: segments of whole rows (a quoted field may span lines), one row per line.
 */
import type { SegmentSink } from '../segments';
import type { SegmentLocation } from '../types';

/** Rows per CSV segment stay under this many characters (a longer single row is a segment of its own). */
const ROWS_SEGMENT_CHARS = 2_000;

export function decodeUtf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
}

export function readPlain(text: string, sink: SegmentSink): void {
  for (const paragraph of text.split(/\r?\n[^\S\n]*\r?\n/)) {
    if (!paragraph.trim()) continue;
    sink.count(1, 'paragraphs');
    if (!sink.add(paragraph, {})) return;
  }
}

const FENCE = /^\s{0,3}(```|~~~)/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;

export function readMarkdown(text: string, sink: SegmentSink): void {
  const headings: string[] = [];
  let block: string[] = [];
  let fence: string | null = null;
  const location = (): SegmentLocation =>
    headings.length ? { heading: headings.filter(Boolean).join(' > ') } : {};
  const flush = () => {
    const body = block.join('\n');
    block = [];
    if (!body.trim()) return true;
    sink.count(1, 'paragraphs');
    return sink.add(body, location());
  };
  for (const line of text.split(/\r?\n/)) {
    const fenceMark = FENCE.exec(line)?.[1];
    if (fence) {
      block.push(line);
      if (fenceMark === fence && !flush()) return;
      if (fenceMark === fence) fence = null;
      continue;
    }
    if (fenceMark) {
      if (!flush()) return;
      fence = fenceMark;
      block.push(line);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      if (!flush()) return;
      const level = heading[1]!.length;
      headings.length = level - 1;
      headings[level - 1] = heading[2]!;
      block.push(line);
      continue;
    }
    if (!line.trim()) {
      if (!flush()) return;
      continue;
    }
    block.push(line);
  }
  flush();
}

/** Splits CSV text into rows, keeping quoted newlines inside their row. */
export function* csvRows(text: string): Generator<string> {
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 10 && !quoted) {
      yield text.slice(start, i).replace(/\r$/, '');
      start = i + 1;
    }
  }
  if (start < text.length) yield text.slice(start);
}

/** Adds rows as segments of whole rows, one per line. */
export function addRows(rows: Iterable<string>, location: SegmentLocation, sink: SegmentSink): boolean {
  let block: string[] = [];
  let size = 0;
  for (const row of rows) {
    if (!row.trim()) continue;
    sink.count(1, 'rows');
    if (size + row.length > ROWS_SEGMENT_CHARS && block.length) {
      if (!sink.add(block.join('\n'), location)) return false;
      block = [];
      size = 0;
    }
    block.push(row);
    size += row.length + 1;
  }
  return block.length ? sink.add(block.join('\n'), location) : true;
}
