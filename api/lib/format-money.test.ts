import { describe, expect, it } from 'vitest';
import { formatPricePair, formatUsd } from './format-money';

describe('formatUsd', () => {
  it('shows cents, thousands separators, and two significant digits under a cent', () => {
    expect(formatUsd(2.5)).toBe('$2.50');
    expect(formatUsd('1234.5')).toBe('$1,234.50');
    expect(formatUsd('0.000072')).toBe('$0.000072');
    expect(formatUsd('0.0123456')).toBe('$0.01');
    expect(formatUsd('0.0049')).toBe('$0.0049');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(null)).toBe('$0.00');
  });
  it('keeps the decimals of an exact amount (a price as entered)', () => {
    expect(formatUsd('0.075', { exact: true })).toBe('$0.075');
    expect(formatUsd('10.000000', { exact: true })).toBe('$10.00');
  });
});

describe('formatPricePair', () => {
  it('reads "$2.50 / $10.00 per 1M tokens"', () => {
    expect(formatPricePair('2.5', '10')).toBe('$2.50 / $10.00 per 1M tokens');
    expect(formatPricePair('0.15', null)).toBe('$0.15 / — per 1M tokens');
  });
});
