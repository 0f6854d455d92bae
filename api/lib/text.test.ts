import { describe, expect, it } from 'vitest';
import { normalizeDeep, normalizeText } from './text';

describe('normalizeText', () => {
  it('drops NUL and other control characters but keeps tabs and newlines', () => {
    expect(normalizeText('a\u0000b\u0007c\td\ne\u007f')).toBe('abc\td\ne');
  });

  it('replaces lone surrogates, keeps pairs, folds CRLF and composes accents', () => {
    expect(normalizeText('x\ud800y')).toBe('x\ufffdy');
    expect(normalizeText('😀')).toBe('😀');
    expect(normalizeText('a\r\nb\rc')).toBe('a\nb\nc');
    expect(normalizeText('e\u0301')).toBe('é');
  });
});

describe('normalizeDeep', () => {
  it('normalises strings and keys at any depth and leaves other values alone', () => {
    expect(normalizeDeep({ 'k\u0000': ['v\u0000', 1, null, { n: 'x\ud800' }], b: true })).toEqual({
      k: ['v', 1, null, { n: 'x\ufffd' }],
      b: true,
    });
  });
});
