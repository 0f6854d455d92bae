/**
 * The worker pool: extraction runs in a worker thread that is reused; a job over its time limit gets its
 * worker terminated and replaced; a worker that runs out of heap dies and is replaced; more jobs than the
 * pool and its queue hold are refused at once (503).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeDocx, makePdf } from '../../tests/helpers/documents';
import { DocumentExtractor } from './extractor';
import { ExtractRefusal } from './refusal';

let extractor: DocumentExtractor | undefined;
afterEach(async () => extractor?.close());

const refusalOf = async (p: Promise<unknown>): Promise<ExtractRefusal> => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExtractRefusal);
  return err as ExtractRefusal;
};

describe('extraction pool', () => {
  it('reads in a worker thread and reuses it', async () => {
    extractor = new DocumentExtractor();
    const a = await extractor.extract({ filename: 'a.pdf', bytes: makePdf('One') });
    const b = await extractor.extract({ filename: 'b.pdf', bytes: makePdf('Two') });
    expect([a.segments[0]?.text, b.segments[0]?.text]).toEqual(['One', 'Two']);
    expect(extractor.stats()).toEqual({ running: 0, queued: 0, workers: 1, replaced: 0, completed: 2 });
  }, 60_000);

  it('terminates and replaces a worker whose job runs out of time', async () => {
    extractor = new DocumentExtractor();
    const err = await refusalOf(
      extractor.extract({ filename: 'slow.pdf', bytes: makePdf('x') }, { timeoutMs: 1 }),
    );
    expect(err).toMatchObject({ reason: 'timeout', status: 422 });
    expect(err.message).toMatch(/^slow\.pdf is refused: reading it took longer than/);
    expect(extractor.stats()).toMatchObject({ workers: 0, replaced: 1 });
    const next = await extractor.extract({ filename: 'next.pdf', bytes: makePdf('Fine') });
    expect(next.segments[0]?.text).toBe('Fine');
    expect(extractor.stats()).toMatchObject({ workers: 1, replaced: 1, completed: 2 });
  }, 60_000);

  it('replaces a worker that runs out of heap, answering 422', async () => {
    extractor = new DocumentExtractor({
      resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8, stackSizeMb: 4 },
    });
    const big = makeDocx(Array.from({ length: 60_000 }, (_, i) => `Paragraph ${i}`));
    const err = await refusalOf(extractor.extract({ filename: 'heavy.docx', bytes: big }));
    expect(err).toMatchObject({ reason: 'out_of_memory', status: 422 });
    expect(err.message).toBe('heavy.docx is refused: reading it needs too much memory.');
    expect(extractor.stats()).toMatchObject({ workers: 0, replaced: 1 });
    const next = await extractor.extract({ filename: 'small.docx', bytes: makeDocx(['Small']) });
    expect(next.segments[0]?.text).toBe('Small');
  }, 120_000);

  it('refuses at once (503) when the pool and its queue are full', async () => {
    extractor = new DocumentExtractor({ size: 1, queue: 1 });
    const jobs = ['a', 'b', 'c'].map((n) => extractor!.extract({ filename: `${n}.pdf`, bytes: makePdf(n) }));
    const third = await refusalOf(jobs[2]!);
    expect(third).toMatchObject({ reason: 'busy', status: 503, headers: { 'retry-after': '5' } });
    expect(extractor.stats()).toMatchObject({ running: 1, queued: 1 });
    const done = await Promise.all(jobs.slice(0, 2));
    expect(done.map((r) => r.segments[0]?.text)).toEqual(['a', 'b']);
  }, 60_000);

  it('refuses oversize input before copying it to a worker (413)', async () => {
    extractor = new DocumentExtractor();
    const err = await refusalOf(
      extractor.extract({ filename: 'huge.txt', bytes: new Uint8Array(31 * 1024 * 1024) }),
    );
    expect(err).toMatchObject({ reason: 'too_large', status: 413 });
    expect(extractor.stats().workers).toBe(0);
  });
});
