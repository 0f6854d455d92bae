import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { CHUNK_OVERLAP, CHUNK_TOKENS, chunkBlocks } from './knowledge.chunk';

const sentence = (i: number) =>
  `Sentence number ${i} talks about the school garden and its seasonal vegetables.`;

describe('chunkBlocks', () => {
  it('cuts long text into chunks within the budget that overlap by at most the overlap', () => {
    const text = Array.from({ length: 120 }, (_, i) => sentence(i)).join(' ');
    const chunks = chunkBlocks([{ text, location: { page: 3 } }]);
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) {
      expect(c.tokenCount).toBe(countTokens(c.text));
      expect(c.tokenCount).toBeLessThanOrEqual(CHUNK_TOKENS + CHUNK_OVERLAP);
      expect(c.location).toEqual({ page: 3 });
    }
    // Consecutive chunks share text (the overlap), and together they cover every sentence.
    for (let i = 1; i < chunks.length; i++) {
      const tail = chunks[i - 1]!.text.slice(-40);
      expect(chunks[i]!.text).toContain(tail.split(' ').slice(-3).join(' '));
    }
    for (let i = 0; i < 120; i++) expect(chunks.some((c) => c.text.includes(`number ${i} `))).toBe(true);
  });

  it('never splits a table row or a code block, and keeps the heading path', () => {
    const rows = Array.from({ length: 60 }, (_, i) => `| row ${i} | ${'cell text '.repeat(6)}|`).join('\n');
    const code = ['```ts', ...Array.from({ length: 20 }, (_, i) => `const value${i} = ${i};`), '```'].join(
      '\n',
    );
    const text = `# Handbook\n\n## Schedules\n\n${rows}\n\n## Code\n\n${code}\n`;
    const chunks = chunkBlocks([{ text, location: {} }], { size: 200, overlap: 20 });
    for (const c of chunks) {
      for (const line of c.text.split('\n'))
        if (line.startsWith('|')) expect(line).toMatch(/^\| row \d+ \| .*\|$/);
    }
    const withCode = chunks.filter((c) => c.text.includes('```ts'));
    expect(withCode).toHaveLength(1);
    expect(withCode[0]!.text).toContain('const value19 = 19;');
    expect(withCode[0]!.location.heading).toBe('Handbook › Code');
    expect(chunks.find((c) => c.text.includes('| row 0 |'))!.location.heading).toBe('Handbook › Schedules');
  });

  it('keeps each block (page, sheet, slide) in chunks of its own', () => {
    const chunks = chunkBlocks([
      { text: 'Page one text.', location: { page: 1 } },
      { text: 'Page two text.', location: { page: 2 } },
    ]);
    expect(chunks.map((c) => [c.text, c.location.page])).toEqual([
      ['Page one text.', 1],
      ['Page two text.', 2],
    ]);
  });
});
