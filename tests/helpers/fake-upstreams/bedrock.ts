/**
 * Amazon Bedrock: runtime `POST /model/{id}/converse` (JSON) and `/converse-stream` (AWS event-stream binary
 * framing, encoded with @smithy/eventstream-codec like the real service), and the control-plane listings
 * `GET /foundation-models` and `GET /inference-profiles`.
 */
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import {
  type Exchange,
  type FakeController,
  handleFailureModes,
  sendJson,
  streamScript,
  usageOf,
} from './controller';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** One event-stream message: `:event-type` names the payload (messageStart, contentBlockDelta, …). */
export function encodeEvent(eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

/** An exception frame, as Bedrock sends when a stream fails after it began. */
export function encodeException(exceptionType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

const ERROR_TYPES: Record<number, string> = {
  400: 'ValidationException',
  403: 'AccessDeniedException',
  429: 'ThrottlingException',
  503: 'ServiceUnavailableException',
};

function bedrockUsage(ex: Exchange) {
  // Bedrock reports non-cached input separately from cache reads (the SDK adds them back up).
  const u = usageOf(ex.script);
  return {
    inputTokens: u.inputTokens - u.cachedInputTokens,
    cacheReadInputTokens: u.cachedInputTokens,
    cacheWriteInputTokens: 0,
    outputTokens: u.outputTokens,
    totalTokens: u.inputTokens + u.outputTokens,
  };
}

export async function converse(ex: Exchange, stream: boolean): Promise<void> {
  const errorType = ERROR_TYPES[ex.script.fail?.status ?? 0] ?? 'InternalServerException';
  if (handleFailureModes(ex, (_s, message) => ({ message }), { 'x-amzn-errortype': errorType })) return;
  const stopReason = ex.script.finishReason === 'length' ? 'max_tokens' : 'end_turn';
  if (!stream) {
    return sendJson(ex, {
      output: { message: { role: 'assistant', content: [{ text: ex.script.chunks.join('') }] } },
      stopReason,
      usage: bedrockUsage(ex),
      metrics: { latencyMs: 1 },
    });
  }
  await streamScript(ex, {
    contentType: 'application/vnd.amazon.eventstream',
    start: () => [encodeEvent('messageStart', { role: 'assistant' })],
    chunk: (text) => [encodeEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text } })],
    end: () => [
      encodeEvent('contentBlockStop', { contentBlockIndex: 0 }),
      encodeEvent('messageStop', { stopReason }),
      encodeEvent('metadata', { usage: bedrockUsage(ex), metrics: { latencyMs: 1 } }),
    ],
    error: (message) => [encodeException('modelStreamErrorException', { message })],
  });
}

export function listFoundationModels(ex: Exchange, controller: FakeController): Promise<void> {
  return sendJson(ex, {
    modelSummaries: controller.models.map((m) => ({
      modelArn: `arn:aws:bedrock:us-east-1::foundation-model/${m.id}`,
      modelId: m.id,
      modelName: m.name ?? m.id,
      providerName: 'Fake',
      inputModalities: ['TEXT'],
      outputModalities: ['TEXT'],
      responseStreamingSupported: true,
      inferenceTypesSupported: ['ON_DEMAND'],
      modelLifecycle: { status: 'ACTIVE' },
    })),
  });
}

export function listInferenceProfiles(ex: Exchange, controller: FakeController): Promise<void> {
  return sendJson(ex, {
    inferenceProfileSummaries: controller.models.slice(0, 1).map((m) => ({
      inferenceProfileId: `us.${m.id}`,
      inferenceProfileName: `US ${m.name ?? m.id}`,
      description: 'Cross-region inference profile (fake)',
      status: 'ACTIVE',
      type: 'SYSTEM_DEFINED',
    })),
  });
}
