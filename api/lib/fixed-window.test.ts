import { describe, expect, it } from 'vitest';
import { FixedWindowCounter } from './fixed-window';

describe('fixed-window counter', () => {
  it('counts per subject within a window that opens at its first request', () => {
    const counter = new FixedWindowCounter(60_000, 0);
    expect(counter.consume('a', 1_000)).toEqual({ count: 1, msBeforeNext: 60_000 });
    expect(counter.consume('a', 31_000)).toEqual({ count: 2, msBeforeNext: 30_000 });
    expect(counter.consume('b', 31_000)).toEqual({ count: 1, msBeforeNext: 60_000 });
    expect(counter.consume('a', 60_999)).toEqual({ count: 3, msBeforeNext: 1 });
  });

  it('starts a new window once the old one has ended', () => {
    const counter = new FixedWindowCounter(60_000, 0);
    counter.consume('a', 1_000);
    counter.consume('a', 2_000);
    expect(counter.consume('a', 61_000)).toEqual({ count: 1, msBeforeNext: 60_000 });
  });

  it('forgets subjects whose window ended, at most once a window', () => {
    const counter = new FixedWindowCounter(60_000, 0);
    for (let i = 0; i < 100; i++) counter.consume(`s${i}`, 1_000);
    counter.consume('late', 50_000);
    expect(counter.size).toBe(101);
    // The sweep at 61 s drops the hundred whose window ended at 61 s; 'late' runs to 110 s.
    counter.consume('late', 61_000);
    expect(counter.size).toBe(1);
    expect(counter.consume('late', 62_000)).toEqual({ count: 3, msBeforeNext: 48_000 });
  });
});
