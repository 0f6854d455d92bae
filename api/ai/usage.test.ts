import { describe, expect, it } from 'vitest';
import {
  computeCost,
  estimateTokens,
  formatPicoUsd,
  parseUsdToPico,
  priceToMicros,
  promptSize,
  sumUsd,
} from './usage';

const prices = (input: string | null, output: string | null, cached: string | null = null) => ({
  inputPricePerMillion: input,
  outputPricePerMillion: output,
  cachedInputPricePerMillion: cached,
});
const tokens = (inputTokens: number, outputTokens: number, cachedInputTokens = 0) => ({
  inputTokens,
  outputTokens,
  cachedInputTokens,
  reasoningTokens: 0,
});

describe('prices', () => {
  it('turns decimal prices into exact micro-units', () => {
    expect(priceToMicros('2.5')).toBe(2_500_000n);
    expect(priceToMicros('0.075')).toBe(75_000n);
    expect(priceToMicros('0.000001')).toBe(1n);
    expect(priceToMicros('15.000000')).toBe(15_000_000n);
    expect(priceToMicros('0')).toBe(0n);
  });

  it.each(['-1', '1e-3', '0.0000001', 'abc', '', '1.', '1234567'])('rejects %j', (bad) => {
    expect(() => priceToMicros(bad)).toThrow(RangeError);
  });
});

describe('computeCost', () => {
  it('is exact where floating point is not', () => {
    // 0.1 + 0.2 style trap: 3 calls × 1 token at $0.1/1M and $0.2/1M.
    const a = computeCost(tokens(1, 0), prices('0.1', '0'));
    const b = computeCost(tokens(1, 0), prices('0.2', '0'));
    expect(sumUsd([a.usd, b.usd])).toBe('0.000000300000');
    expect(0.1 + 0.2).not.toBe(0.3); // the float trap we avoid
  });

  it('prices input, output and cache reads separately', () => {
    // 1,000,000 input of which 200,000 cached, 50,000 output at $2.5 / $10 / cached $1.25 per 1M.
    const cost = computeCost(tokens(1_000_000, 50_000, 200_000), prices('2.5', '10', '1.25'));
    // 800k × 2.5 + 200k × 1.25 + 50k × 10 = 2.0 + 0.25 + 0.5 = 2.75 USD
    expect(cost.usd).toBe('2.750000000000');
    expect(cost.picoUsd).toBe(2_750_000_000_000n);
    expect(cost.priced).toBe(true);
  });

  it('keeps sub-micro-dollar costs (a handful of tokens on a cheap model)', () => {
    const cost = computeCost(tokens(7, 3), prices('0.075', '0.3'));
    // 7 × 0.075e-6 + 3 × 0.3e-6 = 0.000000525 + 0.0000009 = 0.000001425
    expect(cost.usd).toBe('0.000001425000');
  });

  it('charges cache reads at the input price when no cached price is set', () => {
    expect(computeCost(tokens(100, 0, 40), prices('1', '1')).usd).toBe(
      computeCost(tokens(100, 0, 0), prices('1', '1')).usd,
    );
  });

  it('never lets cached tokens exceed input tokens', () => {
    expect(computeCost(tokens(10, 0, 50), prices('1', '1', '0')).usd).toBe('0.000000000000');
  });

  it('marks unpriced models and counts them as free', () => {
    const cost = computeCost(tokens(1000, 1000), prices(null, null));
    expect(cost).toEqual({ picoUsd: 0n, usd: '0.000000000000', priced: false });
  });
});

describe('USD strings', () => {
  it('round-trips and sums exactly', () => {
    expect(formatPicoUsd(1n)).toBe('0.000000000001');
    expect(formatPicoUsd(-1_500_000_000_000n)).toBe('-1.500000000000');
    expect(parseUsdToPico('12.5')).toBe(12_500_000_000_000n);
    expect(parseUsdToPico('0.000000000001')).toBe(1n);
    const many = Array.from({ length: 1000 }, () => '0.000000100000');
    expect(sumUsd(many)).toBe('0.000100000000');
  });
});

describe('estimates for answers without provider usage', () => {
  it('sizes both prompt shapes: text and reasoning characters, attached files and images', () => {
    const providerPrompt = [
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'file', mediaType: 'image/png', data: 'AAAA' },
          { type: 'text', text: 'What is this?' },
        ],
      },
      { role: 'assistant', content: [{ type: 'reasoning', text: 'Hmm' }] },
    ];
    expect(promptSize(providerPrompt)).toEqual({ chars: 9 + 13 + 3, files: 1 });
    const modelMessages = [
      {
        role: 'user',
        content: [
          { type: 'image', image: 'x' },
          { type: 'text', text: 'Hi' },
        ],
      },
    ];
    expect(promptSize(modelMessages)).toEqual({ chars: 2, files: 1 });
  });

  it('counts about four characters a token and a flat 1,000 per file', () => {
    expect(estimateTokens({ chars: 0 })).toBe(0);
    expect(estimateTokens({ chars: 9 })).toBe(3);
    expect(estimateTokens({ chars: 8, files: 2 })).toBe(2_002);
  });
});
