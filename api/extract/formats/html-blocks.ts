/**
 * HTML (a web page, or mammoth's rendering of a DOCX) as segments: one per paragraph-like block, a table row
 * as one segment (cells joined by " | "), a heading path from h1–h6. The walk is iterative, so deeply nested
 * markup cannot overflow the stack; the number of tags is checked before the page is parsed.
 */
import { ExtractRefusal } from '../refusal';
import type { SegmentSink } from '../segments';

const SKIP = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'HEAD',
  'SVG',
  'IFRAME',
  'OBJECT',
  'CANVAS',
]);
const BLOCK = new Set([
  'P',
  'DIV',
  'LI',
  'UL',
  'OL',
  'DL',
  'DT',
  'DD',
  'BLOCKQUOTE',
  'SECTION',
  'ARTICLE',
  'HEADER',
  'FOOTER',
  'MAIN',
  'ASIDE',
  'NAV',
  'TABLE',
  'THEAD',
  'TBODY',
  'TFOOT',
  'CAPTION',
  'FIGURE',
  'FIGCAPTION',
  'FORM',
  'FIELDSET',
  'ADDRESS',
  'HR',
  'BODY',
  'HTML',
]);
const HEADING = /^H([1-6])$/;

interface DomNode {
  nodeType: number;
  nodeName: string;
  data?: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
  querySelectorAll?: (selector: string) => ArrayLike<DomNode>;
}

/** Refuses markup with more start tags than `max` before a DOM is built from it. */
export function checkTagCount(name: string, markup: string, max: number, what = 'elements'): void {
  let tags = 0;
  for (let i = markup.indexOf('<'); i >= 0; i = markup.indexOf('<', i + 1)) {
    const c = markup.charCodeAt(i + 1);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) tags++;
  }
  if (tags > max)
    throw new ExtractRefusal(
      'too_many_elements',
      `${name} is refused: it has ${tags.toLocaleString('en')} ${what} (at most ${max.toLocaleString('en')}).`,
    );
}

const squash = (text: string) => text.replace(/[^\S\n]+/g, ' ').replace(/ ?\n ?/g, '\n');

export async function readHtmlBlocks(html: string, sink: SegmentSink): Promise<void> {
  const { parseHTML } = await import('linkedom');
  const { document } = parseHTML(html.includes('<html') ? html : `<html><body>${html}</body></html>`);
  const headings: string[] = [];
  let line = '';
  const location = () => (headings.length ? { heading: headings.filter(Boolean).join(' > ') } : {});
  const flush = () => {
    if (line.trim()) {
      sink.count(1, 'paragraphs');
      sink.add(squash(line), location());
    }
    line = '';
  };
  const root = (document.body ?? document.documentElement) as unknown as DomNode;
  // Entries are nodes to enter, or null marking the end of a block.
  const stack: (DomNode | null)[] = [root];
  while (stack.length && !sink.full) {
    const node = stack.pop();
    if (node === null) {
      flush();
      continue;
    }
    if (!node) break;
    if (node.nodeType === 3) {
      line += node.data ?? '';
      continue;
    }
    if (node.nodeType !== 1 || SKIP.has(node.nodeName)) continue;
    const name = node.nodeName;
    const level = HEADING.exec(name)?.[1];
    if (level) {
      flush();
      headings.length = Number(level) - 1;
      headings[Number(level) - 1] = squash(node.textContent ?? '').trim();
      // The heading is text too (the chat reads it), located under its own path.
      line = headings[Number(level) - 1] ?? '';
      flush();
      continue;
    }
    if (name === 'TR') {
      flush();
      const cells = Array.from(node.childNodes).filter((c) => c.nodeName === 'TD' || c.nodeName === 'TH');
      line = cells.map((c) => squash(c.textContent ?? '').trim()).join(' | ');
      flush();
      continue;
    }
    if (name === 'PRE') {
      flush();
      sink.count(1, 'paragraphs');
      sink.add(node.textContent ?? '', location());
      continue;
    }
    if (name === 'BR') {
      line += '\n';
      continue;
    }
    const block = BLOCK.has(name);
    if (block) {
      flush();
      stack.push(null);
    }
    const children = node.childNodes;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  flush();
}
