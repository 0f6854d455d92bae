/**
 * Structure-aware chunking. Each extracted block (a page, a sheet, a slide, a text) is cut on its own, so a
 * chunk never spans two locations and its citation is exact. Inside a block the text is read as units:
 * fenced code blocks and table rows are atomic (a chunk boundary never falls inside one; only a unit that
 * alone exceeds the budget is cut, a code block between lines), Markdown headings set the heading path of what follows, paragraphs split at
 * sentences when too long, and a heading starts a new chunk. Consecutive chunks of a section share up to `overlap` tokens of whole units (or the tail words
 * of a long paragraph). Token counts come from gpt-tokenizer (o200k).
 */

import type { ChunkLocation } from '../../../db/schema/index';
import { countTokens } from '../../lib/token-count';

export const CHUNK_TOKENS = 480;
export const CHUNK_OVERLAP = 64;

export interface TextBlock {
  text: string;
  location: ChunkLocation;
}

export interface Chunk {
  text: string;
  location: ChunkLocation;
  tokenCount: number;
}

interface Unit {
  text: string;
  tokens: number;
  /** Code blocks and table rows: never cut inside, never used as a partial overlap. */
  atomic: boolean;
  heading?: string;
  /** A Markdown heading line: a section starts here. */
  startsSection?: boolean;
}

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;

/** Units of one block, with the heading path in force at each unit. */
function unitsOf(text: string, baseHeading: string | undefined): Unit[] {
  const units: Unit[] = [];
  const path: string[] = baseHeading ? [baseHeading] : [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let paragraph: string[] = [];
  const heading = () => (path.length ? path.join(' › ') : undefined);
  const flush = () => {
    const t = paragraph.join('\n').trim();
    paragraph = [];
    if (t) for (const piece of splitLong(t)) units.push({ ...piece, atomic: false, heading: heading() });
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^\s*(```|~~~)/.test(line)) {
      flush();
      const fence = line.trim().slice(0, 3);
      const block = [line];
      for (i++; i < lines.length; i++) {
        block.push(lines[i] as string);
        if ((lines[i] as string).trim().startsWith(fence)) break;
      }
      for (const piece of splitLines(block)) units.push({ ...piece, atomic: true, heading: heading() });
      continue;
    }
    const h = HEADING.exec(line);
    if (h) {
      flush();
      const level = (h[1] as string).length + (baseHeading ? 1 : 0);
      path.splice(level - 1);
      path[level - 1] = (h[2] as string).trim();
      units.push({
        text: line.trim(),
        tokens: countTokens(line),
        atomic: false,
        heading: heading(),
        startsSection: true,
      });
      continue;
    }
    if (TABLE_ROW.test(line)) {
      flush();
      units.push({ text: line, tokens: countTokens(line), atomic: true, heading: heading() });
      continue;
    }
    if (!line.trim()) flush();
    else paragraph.push(line);
  }
  flush();
  return units;
}

/** A code block within budget stays whole; a longer one is cut between lines (a huge line at words). */
function splitLines(lines: string[], max = CHUNK_TOKENS): { text: string; tokens: number }[] {
  const whole = lines.join('\n');
  const tokens = countTokens(whole);
  if (tokens <= max) return [{ text: whole, tokens }];
  const out: { text: string; tokens: number }[] = [];
  let current: string[] = [];
  let count = 0;
  for (const line of lines) {
    const n = countTokens(line) + 1;
    if (n > max) {
      if (current.length) out.push({ text: current.join('\n'), tokens: count });
      out.push(...splitWords(line, max));
      current = [];
      count = 0;
      continue;
    }
    if (current.length && count + n > max) {
      out.push({ text: current.join('\n'), tokens: count });
      current = [];
      count = 0;
    }
    current.push(line);
    count += n;
  }
  if (current.length) out.push({ text: current.join('\n'), tokens: count });
  return out;
}

/** A paragraph within budget stays whole; a longer one is cut at sentence ends, then at words. */
function splitLong(text: string, max = CHUNK_TOKENS): { text: string; tokens: number }[] {
  const tokens = countTokens(text);
  if (tokens <= max) return [{ text, tokens }];
  const sentences = text.match(/[^.!?\n]+(?:[.!?]+|\n|$)\s*/g) ?? [text];
  const out: { text: string; tokens: number }[] = [];
  let current = '';
  for (const s of sentences) {
    const candidate = current + s;
    if (current && countTokens(candidate) > max) {
      out.push({ text: current.trim(), tokens: countTokens(current.trim()) });
      current = s;
    } else current = candidate;
    if (countTokens(current) > max) {
      out.push(...splitWords(current, max));
      current = '';
    }
  }
  if (current.trim()) out.push({ text: current.trim(), tokens: countTokens(current.trim()) });
  return out;
}

function splitWords(text: string, max: number): { text: string; tokens: number }[] {
  const words = text.trim().split(/\s+/);
  const out: { text: string; tokens: number }[] = [];
  let current: string[] = [];
  for (const w of words) {
    if (current.length && countTokens([...current, w].join(' ')) > max) {
      const t = current.join(' ');
      out.push({ text: t, tokens: countTokens(t) });
      current = [];
    }
    current.push(w);
  }
  if (current.length) out.push({ text: current.join(' '), tokens: countTokens(current.join(' ')) });
  return out;
}

/** The tail of the previous chunk carried into the next one: whole units, or the last words of a paragraph. */
function overlapOf(units: Unit[], overlap: number): Unit[] {
  const carried: Unit[] = [];
  let total = 0;
  for (let i = units.length - 1; i >= 0; i--) {
    const u = units[i] as Unit;
    if (total + u.tokens <= overlap) {
      carried.unshift(u);
      total += u.tokens;
      continue;
    }
    if (!u.atomic && carried.length === 0) {
      const words = u.text.split(/\s+/);
      const tail: string[] = [];
      for (let j = words.length - 1; j >= 0 && countTokens([words[j], ...tail].join(' ')) <= overlap; j--)
        tail.unshift(words[j] as string);
      if (tail.length) {
        const t = tail.join(' ');
        carried.unshift({ text: t, tokens: countTokens(t), atomic: false, heading: u.heading });
      }
    }
    break;
  }
  return carried;
}

export function chunkBlocks(
  blocks: readonly TextBlock[],
  options: { size?: number; overlap?: number } = {},
): Chunk[] {
  const size = options.size ?? CHUNK_TOKENS;
  const overlap = options.overlap ?? CHUNK_OVERLAP;
  const chunks: Chunk[] = [];
  for (const block of blocks) {
    const units = unitsOf(block.text, block.location.heading);
    let current: Unit[] = [];
    let tokens = 0;
    let fresh = 0;
    const emit = () => {
      if (fresh === 0) return;
      const text = current.map((u) => u.text).join('\n\n');
      // The section of the chunk's first content (a chunk may open with the headings above it).
      const heading =
        (current.find((u) => u.heading && !u.startsSection) ?? current.find((u) => u.heading))?.heading ??
        block.location.heading;
      const location: ChunkLocation = { ...block.location };
      if (heading) location.heading = heading;
      chunks.push({ text, location, tokenCount: countTokens(text) });
      current = overlapOf(current, overlap);
      tokens = current.reduce((a, u) => a + u.tokens, 0);
      fresh = 0;
    };
    for (const unit of units) {
      // A new section starts a new chunk, without overlap from the previous section.
      if (unit.startsSection && current.slice(current.length - fresh).some((u) => !u.startsSection)) {
        emit();
        current = [];
        tokens = 0;
      }
      if (fresh > 0 && tokens + unit.tokens > size) emit();
      // Carried overlap plus a large unit may still exceed the budget: drop the overlap then.
      if (tokens + unit.tokens > size) {
        current = [];
        tokens = 0;
      }
      current.push(unit);
      tokens += unit.tokens;
      fresh++;
    }
    emit();
  }
  return chunks;
}
