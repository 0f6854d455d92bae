/** The admin "test" button: the smallest real call a model accepts, with a readable outcome. */
import { APICallError, generateText, type LanguageModel } from 'ai';
import type { ProviderId } from './credentials';

export type ModelTestResult =
  | {
      ok: true;
      latencyMs: number;
      text: string;
      finishReason: string;
      usage: { inputTokens: number | null; outputTokens: number | null };
    }
  | { ok: false; latencyMs: number; error: { message: string; status?: number } };

/** The Responses API refuses `max_output_tokens` below 16; every other API accepts a single token. */
const MIN_OUTPUT_TOKENS: Partial<Record<ProviderId, number>> = { openai: 16 };

export async function testLanguageModel(
  provider: ProviderId,
  model: Exclude<LanguageModel, string>,
  timeoutMs = 30_000,
): Promise<ModelTestResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const result = await generateText({
      model,
      prompt: 'Reply with the single word: OK',
      maxOutputTokens: MIN_OUTPUT_TOKENS[provider] ?? 1,
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(timeoutMs),
    });
    return {
      ok: true,
      latencyMs: latency(),
      text: result.text,
      finishReason: result.finishReason,
      usage: {
        inputTokens: result.usage.inputTokens ?? null,
        outputTokens: result.usage.outputTokens ?? null,
      },
    };
  } catch (err) {
    return { ok: false, latencyMs: latency(), error: describeProviderError(err) };
  }
}

/** A message fit for an admin: the provider's own words and status, never request headers or keys. */
export function describeProviderError(err: unknown): { message: string; status?: number } {
  if (APICallError.isInstance(err)) {
    return { message: err.message.slice(0, 500), status: err.statusCode };
  }
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return { message: 'The provider did not answer in time' };
  }
  return { message: err instanceof Error ? err.message.slice(0, 500) : String(err) };
}
