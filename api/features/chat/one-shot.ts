/**
 * One non-streaming model call for a tool (MCP `chat`) through the one model-call core (`runOnce`): the
 * caller's model grant, rate/concurrency admission, budget reservation and billing all happen there. The
 * model is named as API clients name it (list_models / GET /api/v1/models ids); usage lands on the ledger
 * surface `api`, like the OpenAI-compatible gateway.
 */
import type { Ctx } from '../../lib/ctx';
import type { Services } from '../../services';
import { findPublicModel, usableModels } from '../openai/openai.models';

export interface OneShotInput {
  model: string;
  system?: string;
  messages: { role: 'user' | 'assistant'; content: string }[];
  maxOutputTokens?: number;
  signal?: AbortSignal;
}

export interface OneShotResult {
  model: string;
  text: string;
  finishReason: string;
  usage: { inputTokens: number; outputTokens: number; totalTokens: number };
  costUsd: string;
}

export async function completeOnce(
  ctx: Ctx,
  services: Services,
  input: OneShotInput,
): Promise<OneShotResult> {
  const { model } = findPublicModel(await usableModels(ctx, services.models, 'chat'), input.model);
  const result = await services.calls.runOnce(ctx, {
    surface: 'api',
    modelId: model.id,
    system: input.system,
    messages: input.messages,
    maxOutputTokens: input.maxOutputTokens,
    signal: input.signal,
  });
  return {
    model: input.model,
    text: result.text,
    finishReason: result.finishReason ?? 'stop',
    usage: {
      inputTokens: result.usage.inputTokens,
      outputTokens: result.usage.outputTokens,
      totalTokens: result.usage.inputTokens + result.usage.outputTokens,
    },
    costUsd: result.costUsd,
  };
}
