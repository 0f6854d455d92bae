/**
 * The one estimate policy (issue 9.6): what a call is billed when the provider's usage is missing, cut off
 * or zero. Every surface bills through here, so chat, compare, the gateway and MCP agree.
 */
import type { LanguageModelV3Prompt, LanguageModelV3Usage } from '@ai-sdk/provider';
import { estimateTokens, promptSize, type TokenCounts } from '../usage';

export const ZERO_TOKENS: TokenCounts = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  reasoningTokens: 0,
});

/** Provider usage (v3 shape) → what we bill, or undefined when the provider reported nothing. */
export function tokenCounts(usage: LanguageModelV3Usage | undefined): TokenCounts | undefined {
  if (!usage) return undefined;
  const n = (v: number | undefined) => (v !== undefined && Number.isFinite(v) && v > 0 ? Math.trunc(v) : 0);
  const input = n(usage.inputTokens?.total);
  return {
    inputTokens: input,
    outputTokens: n(usage.outputTokens?.total),
    cachedInputTokens: Math.min(input, n(usage.inputTokens?.cacheRead)),
    reasoningTokens: n(usage.outputTokens?.reasoning),
  };
}

/**
 * What a call is billed:
 * - the provider's usage when it counted the answer;
 * - an estimate (flagged) when text arrived but the usage is missing (stopped, cut, timed out, a server
 *   that ignores `include_usage`) or counts no output: input from the prompt (or the provider's input
 *   count when it gave one), output from the characters received, ~4 per token;
 * - nothing when the call produced nothing.
 */
export function billedUsage(
  prompt: LanguageModelV3Prompt,
  r: { usage: TokenCounts | undefined; textChars: number; reasoningChars: number },
): { tokens: TokenCounts; estimated: boolean } {
  const produced = r.textChars + r.reasoningChars > 0;
  const u = r.usage;
  if (u && (u.outputTokens > 0 || !produced)) return { tokens: u, estimated: false };
  if (!produced) return { tokens: ZERO_TOKENS, estimated: false };
  const reasoningTokens = estimateTokens({ chars: r.reasoningChars });
  const inputTokens = u && u.inputTokens > 0 ? u.inputTokens : estimateTokens(promptSize(prompt));
  return {
    tokens: {
      inputTokens,
      outputTokens: estimateTokens({ chars: r.textChars }) + reasoningTokens,
      cachedInputTokens: u ? Math.min(u.cachedInputTokens, inputTokens) : 0,
      reasoningTokens,
    },
    estimated: true,
  };
}
