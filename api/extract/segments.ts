/**
 * Collects segments as a format reads them: text normalised (lib/text.ts, plus newlines as `\n` and no
 * other control characters than tab, newline and form feed) and trimmed, empty segments
 * dropped, the character limit applied (the segment that crosses it is cut and reading stops: `full`
 * turns true and the format should return), and elements counted against their limit (refused above it).
 */
import { normalizeText } from '../lib/text';
import { ExtractRefusal } from './refusal';
import type { ExtractLimits, Segment, SegmentLocation } from './types';

// C0 controls except tab, newline and form feed (CR is turned into newlines first).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0001-\u0008\u000b\u000e-\u001f\u007f]/g;

/** Extracted text as stored: lib/text.ts's normalisation, newlines as `\n`, no stray control characters. */
export const normalizeExtracted = (text: string) =>
  normalizeText(text.replace(/\r\n?/g, '\n').replace(CONTROL, ''));

export class SegmentSink {
  readonly segments: Segment[] = [];
  chars = 0;
  elements = 0;
  truncated = false;

  constructor(
    private readonly filename: string,
    private readonly limits: Pick<ExtractLimits, 'chars' | 'elements'>,
  ) {}

  get full(): boolean {
    return this.truncated;
  }

  /** Adds a segment; false once the character limit is reached (stop reading). */
  add(text: string, location: SegmentLocation): boolean {
    if (this.truncated) return false;
    let clean = normalizeExtracted(text).trim();
    if (!clean) return true;
    const room = this.limits.chars - this.chars;
    if (clean.length > room) {
      clean = cutAt(clean, room);
      this.truncated = true;
    }
    if (clean) this.segments.push({ text: clean, location });
    this.chars += clean.length;
    return !this.truncated;
  }

  /** Counts `n` paragraphs, rows, cells or slides; refuses once they exceed the limit. */
  count(n = 1, what = 'parts'): void {
    this.elements += n;
    if (this.elements > this.limits.elements)
      throw new ExtractRefusal(
        'too_many_elements',
        `${this.filename} is refused: it has more than ${this.limits.elements.toLocaleString('en')} ${what}.`,
      );
  }
}

/** Cuts at `n` characters without splitting a surrogate pair. */
function cutAt(text: string, n: number): string {
  const code = text.charCodeAt(n - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
}
