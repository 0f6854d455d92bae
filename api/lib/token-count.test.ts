import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { countTokens } from './token-count';

const require = createRequire(import.meta.url);
const loaded = () => Object.keys(require.cache).some((file) => file.includes('/gpt-tokenizer/'));

describe('countTokens', () => {
  it('loads the tokenizer on its first call, and counts as it does', () => {
    expect(loaded()).toBe(false);
    const text = 'Springfield Schools AI: one governed place to use AI.';
    const count = countTokens(text);
    expect(loaded()).toBe(true);
    expect(count).toBe((require('gpt-tokenizer') as typeof import('gpt-tokenizer')).countTokens(text));
    expect(count).toBeGreaterThan(5);
    expect(countTokens('')).toBe(0);
  });
});
