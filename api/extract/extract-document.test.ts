/**
 * The extraction itself, run in this thread (the pool runs the same function in a worker): each format's
 * segments and locations, and the limits on pages, elements, characters and input size.
 */
import { describe, expect, it } from 'vitest';
import { makeDocxBomb, makeInflatingPdf, makeManyPagesPdf } from '../../tests/helpers/bombs';
import { makeDocx, makePdf, makePptx, makeXlsx, PNG_1PX } from '../../tests/helpers/documents';
import { extractDocument } from './extract-document';
import { DEFAULT_LIMITS, mergeLimits } from './limits';
import { ExtractRefusal } from './refusal';
import type { ExtractLimits } from './types';

const text = (s: string) => new TextEncoder().encode(s);
const extract = (filename: string, bytes: Uint8Array, limits: Partial<ExtractLimits> = {}) =>
  extractDocument({ filename, bytes }, mergeLimits(DEFAULT_LIMITS, limits));
const refusalOf = async (p: Promise<unknown>): Promise<ExtractRefusal> => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExtractRefusal);
  return err as ExtractRefusal;
};

describe('formats', () => {
  it('PDF: a segment per page, pages without text listed for OCR', async () => {
    const r = await extract('a.pdf', makePdf('First page', '', 'Third page'));
    expect(r).toMatchObject({ kind: 'document', mediaType: 'application/pdf', truncated: false });
    expect(r.segments).toEqual([
      { text: 'First page', location: { page: 1 } },
      { text: 'Third page', location: { page: 3 } },
    ]);
    expect(r.pagesWithoutText).toEqual([2]);
    expect(r.stats).toMatchObject({ pages: 3, chars: 20 });
  });

  it('DOCX: paragraphs under their heading path', async () => {
    const r = await extract(
      'a.docx',
      makeDocx(['# Rules', 'Be kind.', '## Phones', 'Off in class.', '# Food']),
    );
    expect(r.segments).toEqual([
      { text: 'Rules', location: { heading: 'Rules' } },
      { text: 'Be kind.', location: { heading: 'Rules' } },
      { text: 'Phones', location: { heading: 'Rules > Phones' } },
      { text: 'Off in class.', location: { heading: 'Rules > Phones' } },
      { text: 'Food', location: { heading: 'Food' } },
    ]);
  });

  it('XLSX: whole rows per sheet, cells joined by pipes', async () => {
    const bytes = await makeXlsx({
      Grades: [
        ['Name', 'Score'],
        ['Ada', 10],
      ],
      Notes: [['All good']],
    });
    const r = await extract('book.xlsx', bytes);
    expect(r.mediaType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(r.segments).toEqual([
      { text: 'Name | Score\nAda | 10', location: { sheet: 'Grades' } },
      { text: 'All good', location: { sheet: 'Notes' } },
    ]);
    expect(r.stats.pages).toBe(2);
  });

  it('PPTX: a segment per slide in presentation order, XML entities decoded', async () => {
    const r = await extract('deck.pptx', makePptx([['Intro', 'Tom &amp; Jerry'], ['Second']], [2, 1]));
    expect(r.segments).toEqual([
      { text: 'Second', location: { slide: 1 } },
      { text: 'Intro\nTom & Jerry', location: { slide: 2 } },
    ]);
  });

  it('Markdown: heading path from # lines, a fenced code block whole', async () => {
    const md = '# Guide\n\nIntro text.\n\n## Setup\n\n```sh\n# not a heading\n\nnpm ci\n```\n';
    const r = await extract('guide.md', text(md));
    expect(r.segments).toEqual([
      { text: '# Guide', location: { heading: 'Guide' } },
      { text: 'Intro text.', location: { heading: 'Guide' } },
      { text: '## Setup', location: { heading: 'Guide > Setup' } },
      { text: '```sh\n# not a heading\n\nnpm ci\n```', location: { heading: 'Guide > Setup' } },
    ]);
  });

  it('CSV: whole rows, a quoted newline kept inside its row', async () => {
    const r = await extract('a.csv', text('name,note\nAda,"two\nlines"\nBob,x\n'));
    expect(r.segments).toEqual([{ text: 'name,note\nAda,"two\nlines"\nBob,x', location: {} }]);
    expect(r.stats.elements).toBe(3);
  });

  it('HTML: paragraphs and table rows under headings, scripts and styles dropped', async () => {
    const html =
      '<!doctype html><html><head><style>p{}</style></head><body><h1>Menu</h1><p>Soup <b>today</b></p><script>evil()</script><h2>Prices</h2><table><tr><th>Item</th><th>Cost</th></tr><tr><td>Soup</td><td>2</td></tr></table></body></html>';
    const r = await extract('menu.html', text(html));
    expect(r.segments).toEqual([
      { text: 'Menu', location: { heading: 'Menu' } },
      { text: 'Soup today', location: { heading: 'Menu' } },
      { text: 'Prices', location: { heading: 'Menu > Prices' } },
      { text: 'Item | Cost', location: { heading: 'Menu > Prices' } },
      { text: 'Soup | 2', location: { heading: 'Menu > Prices' } },
    ]);
  });

  it('TXT and JSON: paragraphs, text normalised (CRLF, NFC, NUL in markup)', async () => {
    const r = await extract('a.txt', text('Caf\u0065\u0301 ab\r\nline 2\r\n\r\nnext'));
    expect(r.segments.map((s) => s.text)).toEqual(['Caf\u00e9 ab\nline 2', 'next']);
    const html = await extract('a.html', text('<p>a&#0;b &#xD800;c</p>'));
    expect(html.segments.map((s) => s.text)).toEqual(['a\ufffdb \ufffdc']);
    const json = await extract('a.json', text('{"a": 1}'));
    expect(json).toMatchObject({ mediaType: 'application/json', segments: [{ text: '{"a": 1}' }] });
  });

  it('an image: no text, page 1 for OCR', async () => {
    const r = await extract('photo.txt', PNG_1PX);
    expect(r).toMatchObject({ kind: 'image', mediaType: 'image/png', segments: [], pagesWithoutText: [1] });
  });
});

describe('limits', () => {
  it('refuses unsupported types (415), naming what was found', async () => {
    const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0]);
    const err = await refusalOf(extract('homework.txt', exe));
    expect(err).toMatchObject({ reason: 'unsupported', status: 415 });
    expect(err.message).toMatch(/^homework\.txt: a EXE file .* is not supported/);
    expect((await refusalOf(extract('data.bin', text('plain')))).reason).toBe('unsupported');
  });

  it('refuses empty files and files over their type’s size (413)', async () => {
    expect((await refusalOf(extract('e.txt', new Uint8Array()))).status).toBe(422);
    const err = await refusalOf(extract('big.html', text('<p>hi</p>'), { inputBytes: { html: 5 } as never }));
    expect(err).toMatchObject({ reason: 'too_large', status: 413 });
  });

  it('truncates at the character limit and says so', async () => {
    const r = await extract('long.pdf', makePdf('a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40)), {
      chars: 50,
    });
    expect(r.truncated).toBe(true);
    expect(r.segments).toEqual([
      { text: 'a'.repeat(40), location: { page: 1 } },
      { text: 'b'.repeat(10), location: { page: 2 } },
    ]);
    expect(r.stats.chars).toBe(50);
  });

  it('refuses too many pages before reading any', async () => {
    const err = await refusalOf(extract('many.pdf', makeManyPagesPdf(30), { pages: 20 }));
    expect(err).toMatchObject({ reason: 'too_many_pages', status: 422 });
    expect(err.message).toBe('many.pdf is refused: it has 30 pages (at most 20).');
    const slides = await refusalOf(extract('deck.pptx', makePptx([['a'], ['b'], ['c']]), { pages: 2 }));
    expect(slides.reason).toBe('too_many_pages');
  });

  it('refuses too many elements: paragraphs, cells, rows', async () => {
    const docx = await refusalOf(extract('p.docx', makeDocx(['a', 'b', 'c', 'd']), { elements: 3 }));
    expect(docx).toMatchObject({ reason: 'too_many_elements' });
    const xlsx = await refusalOf(
      extract(
        'c.xlsx',
        await makeXlsx({
          S: [
            [1, 2],
            [3, 4],
          ],
        }),
        { elements: 3 },
      ),
    );
    expect(xlsx.message).toMatch(/more than 3 cells/);
    const csv = await refusalOf(extract('r.csv', text('1\n2\n3\n4\n'), { elements: 3 }));
    expect(csv.message).toMatch(/more than 3 rows/);
  });

  it('refuses the bombs: a DOCX of tiny paragraphs, a PDF stream inflating to 300 MB', async () => {
    const docx = await refusalOf(extract('bomb.docx', makeDocxBomb(40)));
    expect(docx).toMatchObject({ reason: 'bomb', status: 422 });
    const pdf = await refusalOf(extract('bomb.pdf', await makeInflatingPdf(300)));
    expect(pdf.reason).toBe('bomb');
    expect(pdf.message).toMatch(/a stream in it unpacks to more than 32 MB/);
  });

  it('refuses a DOCX with more paragraphs than allowed even when it unpacks within the size limits', async () => {
    const paragraphs = Array.from({ length: 10_001 }, (_, i) => `Paragraph ${i}`);
    const err = await refusalOf(extract('dense.docx', makeDocx(paragraphs), { elements: 10_000 }));
    expect(err.reason).toBe('too_many_elements');
    expect(err.message).toMatch(/paragraphs/);
  });

  it('refuses a damaged PDF as corrupt (422)', async () => {
    const err = await refusalOf(
      extract('broken.pdf', text('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nbroken')),
    );
    expect(err).toMatchObject({ reason: 'corrupt', status: 422 });
  });
});
