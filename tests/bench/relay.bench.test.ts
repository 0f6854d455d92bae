/**
 * The relay benchmark cannot rot: its harness runs here at its smallest (one stream, a few chunks, one
 * round, three answers held open) and must produce every figure for every arm. Their values are the
 * benchmark's business (`npm run bench -- relay`), not this test's.
 */
import { describe, expect, it } from 'vitest';
import { ARMS, runRelay } from './relay.bench';

const isFigure = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

describe('npm run bench -- relay (smoke)', () => {
  it('measures every arm at one stream and the memory of held-open streams', {
    timeout: 240_000,
  }, async () => {
    const rows = await runRelay({
      concurrency: [1],
      arms: ARMS.filter((a) => a !== 'direct'),
      chunks: 5,
      rounds: 1,
      openStreams: 3,
      postgresUrl: null,
      webConcurrency: 1,
    });
    const measured = rows.filter((r) => r.streams === 1);
    expect(measured.map((r) => r.arm)).toHaveLength(4);
    for (const row of measured) {
      for (const column of ['TTFT p50 ms', 'TTFT p99 ms', 'chunks/s'])
        expect(isFigure(row[column])).toBe(true);
      expect(row['TTFT p50 ms']).toBeGreaterThan(0);
      expect(row.errors, `${row.arm}: failed streams`).toBe(0);
      if (String(row.arm).startsWith('direct')) continue;
      for (const column of ['added p50 ms', 'added p99 ms', 'vs direct %', 'CPU ms/stream', 'RSS MB'])
        expect(isFigure(row[column]), `${row.arm}: ${column}`).toBe(true);
    }
    const held = rows.filter((r) => String(r.arm).endsWith('held open'));
    expect(held).toHaveLength(2);
    for (const row of held) {
      expect(row.samples).toBe(3);
      expect(isFigure(row['RSS open MB'])).toBe(true);
    }
    expect(rows.at(-1)?.arm).toBe('database: embedded');
  });
});
