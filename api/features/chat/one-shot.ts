/**
 * One non-streaming model call for a tool (MCP `chat`): the caller's model, budget check and usage billing
 * all come from the call path it goes through. Today that is the OpenAI-compatible gateway's non-streaming
 * path (CompletionsService, ledger surface `api`); when the one model-call core (api/ai/run) lands, only
 * this function changes.
 */
import type { Ctx } from '../../lib/ctx';
import type { Services } from '../../services';

export interface OneShotInput {
  model: string;
  system?: string;
  messages: { role: 'user' | 'assistant'; content: string }[];
  maxOutputTokens?: number;
}

export interface OneShotResult {
  model: string;
  text: string;
  finishReason: string;
  usage: { inputTokens: number; outputTokens: number; totalTokens: number };
}

interface CompletionBody {
  choices: { message: { content: string | null }; finish_reason: string }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

export async function completeOnce(
  ctx: Ctx,
  services: Services,
  input: OneShotInput,
): Promise<OneShotResult> {
  const result = await services.completions.complete(ctx, {
    model: input.model,
    messages: [
      ...(input.system ? [{ role: 'system' as const, content: input.system }] : []),
      ...input.messages,
    ],
    stream: false,
    max_tokens: input.maxOutputTokens,
  });
  if (result.kind !== 'json') throw new Error('a non-streaming completion answered a stream');
  const body = result.body as unknown as CompletionBody;
  const choice = body.choices[0];
  return {
    model: input.model,
    text: choice?.message.content ?? '',
    finishReason: choice?.finish_reason ?? 'stop',
    usage: {
      inputTokens: body.usage.prompt_tokens,
      outputTokens: body.usage.completion_tokens,
      totalTokens: body.usage.total_tokens,
    },
  };
}
