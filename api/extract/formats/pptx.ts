/**
 * PPTX: slide XML read from the package ourselves (no DOM): one segment per slide, paragraphs (`a:p`) on
 * their own lines, in the presentation's slide order. The slide count is checked before any slide is read.
 */
import { ExtractRefusal } from '../refusal';
import type { SegmentSink } from '../segments';
import type { ExtractLimits } from '../types';
import { type OpenZip, openZip } from '../zip';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (all, code: string) => {
    if (code[0] !== '#') return ENTITIES[code] ?? all;
    const n = code[1] === 'x' || code[1] === 'X' ? Number.parseInt(code.slice(2), 16) : Number(code.slice(1));
    return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '';
  });
}

/** Slide parts in presentation order (presentation.xml's sldIdLst), else by number. */
function slideOrder(zip: OpenZip): string[] {
  const byNumber = zip.entries
    .map((e) => e.name)
    .filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))
    .sort((a, b) => Number(/\d+/.exec(a.slice(11))?.[0]) - Number(/\d+/.exec(b.slice(11))?.[0]));
  const rels = zip.text('ppt/_rels/presentation.xml.rels') ?? '';
  const presentation = zip.text('ppt/presentation.xml') ?? '';
  const targets = new Map<string, string>();
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    const id = /\bId="([^"]+)"/.exec(m[0])?.[1];
    const target = /\bTarget="([^"]+)"/.exec(m[0])?.[1];
    if (id && target) targets.set(id, `ppt/${target.replace(/^\/?ppt\//, '').replace(/^\.\//, '')}`);
  }
  const ordered = [...presentation.matchAll(/<p:sldId\b[^>]*\br:id="([^"]+)"/g)]
    .map((m) => targets.get(m[1]!))
    .filter((p): p is string => !!p && zip.has(p));
  return ordered.length ? ordered : byNumber;
}

export async function readPptx(
  name: string,
  bytes: Uint8Array,
  limits: ExtractLimits,
  sink: SegmentSink,
): Promise<{ slides: number; unpackedBytes: number }> {
  const zip = openZip(name, bytes, limits);
  const slides = slideOrder(zip);
  if (slides.length > limits.pages)
    throw new ExtractRefusal(
      'too_many_pages',
      `${name} is refused: it has ${slides.length} slides (at most ${limits.pages}).`,
    );
  for (const [i, part] of slides.entries()) {
    sink.count(1, 'slides');
    const xml = zip.text(part) ?? '';
    const paragraphs: string[] = [];
    for (const p of xml.matchAll(/<a:p\b[^>]*>([\s\S]*?)<\/a:p>/g)) {
      const runs = [...p[1]!.matchAll(/<a:t>([\s\S]*?)<\/a:t>|<a:br\b[^>]*\/>/g)];
      paragraphs.push(runs.map((r) => (r[1] === undefined ? '\n' : decodeXmlText(r[1]))).join(''));
    }
    if (!sink.add(paragraphs.join('\n'), { slide: i + 1 })) break;
  }
  return { slides: slides.length, unpackedBytes: zip.inflated };
}
