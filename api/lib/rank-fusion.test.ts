import { describe, expect, it } from 'vitest';
import { embedLexical, LEXICAL_DIMENSIONS } from '../ai/embeddings/lexical';
import { reciprocalRankFusion } from './rank-fusion';

const cosine = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * (b[i] ?? 0), 0);

describe('reciprocalRankFusion', () => {
  it('ranks an item found by both lists above items found by one', () => {
    const fused = reciprocalRankFusion(
      [
        ['a', 'b', 'c'],
        ['c', 'd'],
      ],
      (x) => x,
    );
    expect(fused[0]?.item).toBe('c');
    expect(fused[0]?.ranks).toEqual([3, 1]);
    expect(fused[0]?.score).toBeCloseTo(1 / 63 + 1 / 61);
    expect(fused.map((f) => f.item).sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('embedLexical', () => {
  it('is deterministic, unit length and closer for texts sharing words', () => {
    const a = embedLexical('The school board approved the new bus schedule');
    expect(a).toHaveLength(LEXICAL_DIMENSIONS);
    expect(embedLexical('The school board approved the new bus schedule')).toEqual(a);
    expect(cosine(a, a)).toBeCloseTo(1);
    const near = embedLexical('bus schedule approved by the board');
    const far = embedLexical('photosynthesis converts light into chemical energy');
    expect(cosine(a, near)).toBeGreaterThan(cosine(a, far) + 0.2);
    expect(embedLexical('  ').every((v) => v === 0)).toBe(true);
  });
});
