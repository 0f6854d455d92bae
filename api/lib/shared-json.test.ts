import { describe, expect, it } from 'vitest';
import { jsonOnce } from './shared-json';

describe('jsonOnce', () => {
  it('serializes a frozen value once, and anything else on every call', () => {
    let reads = 0;
    const counted = () => ({
      get n() {
        reads++;
        return reads;
      },
    });
    const frozen = Object.freeze(counted());
    expect(jsonOnce(frozen)).toBe('{"n":1}');
    expect(jsonOnce(frozen)).toBe('{"n":1}');
    expect(reads).toBe(1);
    const open = counted();
    expect(jsonOnce(open)).toBe('{"n":2}');
    expect(jsonOnce(open)).toBe('{"n":3}');
  });
});
