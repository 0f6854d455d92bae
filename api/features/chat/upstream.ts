/**
 * The model call under the relay: stored UI parts → the provider's prompt, `doStream` with one retry
 * before any byte arrives, the provider's usage → our token counts, and readable error reasons.
 *
 * Why `doStream` and not `streamText`: streamText wraps the provider stream in about seven more web-stream
 * stages (tool handling, step stitching, tee, UI conversion …) that a plain chat turn does not use; in the
 * benchmark they were most of the relay's CPU per token. The provider packages still do the wire protocol,
 * parsing and validation.
 */
import type { LanguageModelV3, LanguageModelV3Prompt, LanguageModelV3Usage } from '@ai-sdk/provider';
import { APICallError, RetryError } from 'ai';
import type { StoredPart } from '../../../db/schema/index';
import type { ProviderModel } from '../../ai/providers';
import type { TokenCounts } from '../../ai/usage';

export interface PromptMessage {
  role: 'user' | 'assistant' | 'system';
  parts: StoredPart[];
}

type UserContent = Extract<LanguageModelV3Prompt[number], { role: 'user' }>['content'][number];

function filePart(p: StoredPart): UserContent | null {
  const url = typeof p.url === 'string' ? p.url : '';
  const mediaType = typeof p.mediaType === 'string' ? p.mediaType : 'application/octet-stream';
  const data = /^data:[^;,]*(;base64)?,(.*)$/s.exec(url);
  if (data) {
    const payload = data[1] ? data[2]! : Buffer.from(decodeURIComponent(data[2]!)).toString('base64');
    return { type: 'file', mediaType, data: payload };
  }
  if (/^https?:\/\//.test(url)) return { type: 'file', mediaType, data: new URL(url) };
  return null;
}

/** The provider prompt: system prompt, then text (and files for user turns); empty turns are dropped. */
export function toProviderPrompt(
  system: string | undefined,
  history: PromptMessage[],
): LanguageModelV3Prompt {
  const prompt: LanguageModelV3Prompt = system ? [{ role: 'system', content: system }] : [];
  for (const m of history) {
    const texts = m.parts.flatMap((p) =>
      p.type === 'text' && typeof p.text === 'string' && p.text !== ''
        ? [{ type: 'text' as const, text: p.text }]
        : [],
    );
    if (m.role === 'assistant') {
      if (texts.length) prompt.push({ role: 'assistant', content: texts });
    } else if (m.role === 'user') {
      const files = m.parts.flatMap((p) =>
        p.type === 'file' ? [filePart(p)].filter((f) => f !== null) : [],
      );
      const content = [...files, ...texts] as UserContent[];
      if (content.length) prompt.push({ role: 'user', content });
    } else if (texts.length) {
      prompt.push({ role: 'system', content: texts.map((t) => t.text).join('\n') });
    }
  }
  return prompt;
}

/** Provider usage (v3 shape) → what we bill. Missing numbers count 0. */
export function tokenCounts(usage: LanguageModelV3Usage): TokenCounts {
  const n = (v: number | undefined) => (v !== undefined && Number.isFinite(v) && v > 0 ? Math.trunc(v) : 0);
  const input = n(usage.inputTokens.total);
  return {
    inputTokens: input,
    outputTokens: n(usage.outputTokens.total),
    cachedInputTokens: Math.min(input, n(usage.inputTokens.cacheRead)),
    reasoningTokens: n(usage.outputTokens.reasoning),
  };
}

/** A readable reason for a failed call, without provider internals such as URLs or request bodies. */
export function describeUpstreamError(err: unknown): string {
  const e = RetryError.isInstance(err) ? err.lastError : err;
  // A stream that broke after a 200 (cut connection, truncated frame) is not the provider's "error".
  if (APICallError.isInstance(e) && (e.statusCode ?? 0) >= 400) {
    const status = ` (HTTP ${e.statusCode})`;
    if (e.statusCode === 429)
      return `The model provider is rate limiting requests${status}. Try again shortly.`;
    if (e.statusCode === 401 || e.statusCode === 403)
      return `The model provider refused our credentials${status}. Ask an administrator to check the provider settings.`;
    const detail = e.message ? `: ${e.message.slice(0, 300)}` : '';
    return `The model provider returned an error${status}${detail}`;
  }
  return 'The connection to the model provider was interrupted before the answer finished.';
}

const RETRY_DELAY_MS = 1_000;

/** Opens the provider stream; a retryable failure before any byte (429, 5xx, network) is tried once more. */
export async function openStream(model: ProviderModel, prompt: LanguageModelV3Prompt, signal: AbortSignal) {
  const v3 = model as LanguageModelV3;
  try {
    return await v3.doStream({ prompt, abortSignal: signal });
  } catch (err) {
    if (signal.aborted || (APICallError.isInstance(err) && !err.isRetryable)) throw err;
    await new Promise((r) => setTimeout(r, RETRY_DELAY_MS));
    if (signal.aborted) throw err;
    return v3.doStream({ prompt, abortSignal: signal });
  }
}
