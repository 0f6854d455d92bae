import type { LanguageModelV3Prompt } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { billedUsage, tokenCounts, ZERO_TOKENS } from './billing';

const prompt: LanguageModelV3Prompt = [
  { role: 'system', content: 'Be brief.' }, // 9 characters
  { role: 'user', content: [{ type: 'text', text: 'Hello there' }] }, // 11
];
const reported = { inputTokens: 40, outputTokens: 12, cachedInputTokens: 8, reasoningTokens: 0 };

describe('tokenCounts', () => {
  it('reads the provider usage shape and treats missing numbers as 0', () => {
    expect(
      tokenCounts({
        inputTokens: { total: 120, noCache: 100, cacheRead: 20, cacheWrite: undefined },
        outputTokens: { total: 30, text: 25, reasoning: 5 },
      }),
    ).toEqual({ inputTokens: 120, outputTokens: 30, cachedInputTokens: 20, reasoningTokens: 5 });
    expect(
      tokenCounts({
        inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
        outputTokens: { total: undefined, text: undefined, reasoning: undefined },
      }),
    ).toEqual(ZERO_TOKENS);
    expect(tokenCounts(undefined)).toBeUndefined();
  });
});

describe('billedUsage (the one estimate policy)', () => {
  it('bills the provider usage when it counted the answer', () => {
    expect(billedUsage(prompt, { usage: reported, textChars: 50, reasoningChars: 0 })).toEqual({
      tokens: reported,
      estimated: false,
    });
  });

  it('estimates from the prompt and the text when usage is missing (~4 characters a token)', () => {
    expect(billedUsage(prompt, { usage: undefined, textChars: 41, reasoningChars: 8 })).toEqual({
      tokens: { inputTokens: 5, outputTokens: 11 + 2, cachedInputTokens: 0, reasoningTokens: 2 },
      estimated: true,
    });
  });

  it('estimates the output when the provider counted none though text arrived, keeping its input count', () => {
    const zeroOut = { ...reported, outputTokens: 0 };
    expect(billedUsage(prompt, { usage: zeroOut, textChars: 8, reasoningChars: 0 })).toEqual({
      tokens: { inputTokens: 40, outputTokens: 2, cachedInputTokens: 8, reasoningTokens: 0 },
      estimated: true,
    });
    expect(billedUsage(prompt, { usage: ZERO_TOKENS, textChars: 8, reasoningChars: 0 }).tokens).toMatchObject(
      {
        inputTokens: 5,
        outputTokens: 2,
      },
    );
  });

  it('bills nothing when nothing was produced and nothing reported', () => {
    expect(billedUsage(prompt, { usage: undefined, textChars: 0, reasoningChars: 0 })).toEqual({
      tokens: ZERO_TOKENS,
      estimated: false,
    });
  });
});
