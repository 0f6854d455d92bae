import { describe, expect, it } from 'vitest';
import { zip } from '../../tests/helpers/documents';
import { DEFAULT_LIMITS, mergeLimits } from './limits';
import { ExtractRefusal } from './refusal';
import { openZip, readZipEntries, readZipEntry } from './zip';

const refusal = (fn: () => unknown): ExtractRefusal => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ExtractRefusal) return err;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('zip inspection', () => {
  it('reads the central directory and inflates an entry', () => {
    const bytes = zip({ 'a.xml': 'hello '.repeat(100), 'b.txt': 'plain' }, { deflate: true });
    const z = openZip('x.docx', bytes, DEFAULT_LIMITS);
    expect(z.entries.map((e) => [e.name, e.uncompressedSize])).toEqual([
      ['a.xml', 600],
      ['b.txt', 5],
    ]);
    expect(z.text('a.xml')).toBe('hello '.repeat(100));
    expect(z.text('missing.xml')).toBeUndefined();
    expect(z.inflated).toBe(600);
  });

  it('refuses before inflating: too many entries, an entry too large, a bomb ratio, too much in total', () => {
    const many = zip(Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`f${i}`, 'x'])));
    expect(refusal(() => readZipEntries('many.docx', many, 10)).message).toMatch(/11 parts \(at most 10\)/);

    const big = zip({ 'word/document.xml': Buffer.alloc(3 * 1024 * 1024, 0x61) }, { deflate: true });
    const small = mergeLimits(DEFAULT_LIMITS, { entryBytes: 2 * 1024 * 1024 });
    const tooBig = refusal(() => openZip('big.docx', big, small));
    expect(tooBig.reason).toBe('bomb');
    expect(tooBig.message).toMatch(/word\/document\.xml unpacks to 3 MB \(at most 2 MB\)/);

    const ratio = refusal(() => openZip('ratio.docx', big, DEFAULT_LIMITS));
    expect(ratio.message).toMatch(/compressed \d+ to 1 \(a decompression bomb; at most 100 to 1\)/);

    const total = mergeLimits(DEFAULT_LIMITS, { unpackedBytes: 1000 });
    const parts = zip({ a: 'x'.repeat(600), b: 'y'.repeat(600) });
    expect(refusal(() => openZip('total.docx', parts, total)).message).toMatch(/unpacks to/);
  });

  it('caps inflation at the declared size when the directory lies', () => {
    const bytes = zip({ 'a.xml': 'z'.repeat(10_000) }, { deflate: true });
    const [entry] = readZipEntries('liar.docx', bytes, 10);
    const lie = { ...entry!, uncompressedSize: 100 };
    const err = refusal(() => readZipEntry('liar.docx', bytes, lie, 1_000_000));
    expect(err.reason).toBe('bomb');
    expect(err.message).toMatch(/more than its declared/);
  });

  it('refuses what is not a ZIP as damaged', () => {
    expect(refusal(() => readZipEntries('x.docx', new Uint8Array(100), 10)).reason).toBe('corrupt');
  });
});
