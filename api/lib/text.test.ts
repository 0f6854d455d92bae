import { describe, expect, it } from 'vitest';
import { normalizeText } from './text';

describe('normalizeText', () => {
  it('strips NUL and other control characters but keeps tab, newline and form feed', () => {
    expect(normalizeText('a\u0000b\u0007c\u007f\td\ne\ff')).toBe('abc\td\ne\ff');
  });

  it('replaces lone surrogates and keeps valid pairs', () => {
    expect(normalizeText('x\ud800y\udc00z')).toBe('x\ufffdy\ufffdz');
    expect(normalizeText('😀')).toBe('😀');
  });

  it('turns CRLF and CR into LF', () => {
    expect(normalizeText('a\r\nb\rc\n')).toBe('a\nb\nc\n');
  });

  it('composes to NFC', () => {
    expect(normalizeText('e\u0301')).toBe('\u00e9');
  });
});
