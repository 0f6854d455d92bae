import { describe, expect, it } from 'vitest';
import { type CitedSource, indexingNote, linkCitations, sourceHref } from './citations';

const pdf: CitedSource = {
  n: 1,
  repositoryId: '11111111-1111-4111-8111-111111111111',
  itemId: '22222222-2222-4222-8222-222222222222',
  title: 'Handbook.pdf',
  location: { page: 4 },
  excerpt: 'Fire drills …',
};
const notes: CitedSource = { ...pdf, n: 2, title: 'Notes', location: { heading: 'Safety' } };

describe('citations', () => {
  it('links [n] of known sources to the original, a PDF at its page', () => {
    const file = `/api/v1/repositories/${pdf.repositoryId}/items/${pdf.itemId}/file`;
    expect(sourceHref(pdf)).toBe(`${file}#page=4`);
    expect(sourceHref(notes)).toBe(file);
    expect(linkCitations('Drills are monthly [1][2]. See [3].', [pdf, notes])).toBe(
      `Drills are monthly [\\[1\\]](${file}#page=4)[\\[2\\]](${file}). See [3].`,
    );
  });

  it('leaves text alone without sources, and Markdown links as written', () => {
    expect(linkCitations('A list [1].', [])).toBe('A list [1].');
    expect(linkCitations('[1](https://example.org) and [1]: ref', [pdf])).toBe(
      '[1](https://example.org) and [1]: ref',
    );
  });
});

describe('indexing note', () => {
  const repos = [
    { id: 'a', name: 'A', itemCount: 5, itemsIndexing: 2 },
    { id: 'b', name: 'B', itemCount: 3, itemsIndexing: 0 },
    { id: 'c', name: 'C', itemCount: 4, itemsIndexing: 4 },
  ];
  it('counts items still indexing over the attached repositories only', () => {
    expect(indexingNote(repos, ['a', 'b'])).toBe(
      'Knowledge still indexing 2 of 8 — answers use what is ready.',
    );
    expect(indexingNote(repos, ['b'])).toBeNull();
    expect(indexingNote(repos, [])).toBeNull();
  });
});
