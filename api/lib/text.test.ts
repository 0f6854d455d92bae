import { describe, expect, it } from 'vitest';
import { createChunkNormalizer, normalizeDeep, normalizeText } from './text';

const encodesAsUtf8 = (s: string) => Buffer.from(s, 'utf8').toString('utf8') === s;

describe('normalizeText', () => {
  it('strips NUL bytes', () => {
    expect(normalizeText('a\u0000b\u0000')).toBe('ab');
  });

  it('replaces lone surrogates (high, low, reversed) with U+FFFD and keeps valid pairs', () => {
    const input = 'x\uD800y\uDC00z\uDC00\uD800😀';
    const out = normalizeText(input);
    expect(out).toBe('x\uFFFDy\uFFFDz\uFFFD\uFFFD😀');
    expect(encodesAsUtf8(out)).toBe(true);
    expect(encodesAsUtf8(input)).toBe(false);
  });

  it('composes to NFC', () => {
    const decomposed = 'e\u0301cole';
    expect(normalizeText(decomposed)).toBe('\u00e9cole');
    expect(normalizeText(decomposed)).toHaveLength(5);
  });

  it('returns plain ASCII unchanged', () => {
    const s = 'Hello, world! \t\n';
    expect(normalizeText(s)).toBe(s);
  });
});

describe('normalizeDeep', () => {
  it('normalises strings in nested arrays and objects, keys included, and leaves other values', () => {
    const out = normalizeDeep({ 'k\u0000': ['a\u0000', { b: '\uD800' }], n: 1, f: false, z: null });
    expect(out).toEqual({ k: ['a', { b: '\uFFFD' }], n: 1, f: false, z: null });
  });

  it('normalises objects without a prototype too (what Hono builds for query strings)', () => {
    const query = Object.assign(Object.create(null), { action: ['\u0000'] });
    expect(normalizeDeep(query)).toEqual({ action: [''] });
  });
});

describe('createChunkNormalizer', () => {
  it('keeps a surrogate pair split across chunks and drops NUL', () => {
    const n = createChunkNormalizer();
    const [hi, lo] = ['😀'.charAt(0), '😀'.charAt(1)];
    expect(n.push(`a\u0000${hi}`)).toBe('a');
    expect(n.push(`${lo}b`)).toBe('😀b');
    expect(n.flush()).toBe('');
  });

  it('replaces a high surrogate left at the end of the stream', () => {
    const n = createChunkNormalizer();
    expect(n.push('a\uD83D')).toBe('a');
    expect(n.flush()).toBe('\uFFFD');
  });
});
