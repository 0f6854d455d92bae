/**
 * Google Generative Language API (v1beta): `models/{m}:generateContent`, `models/{m}:streamGenerateContent?alt=sse`
 * and the paginated `GET models` listing.
 */
import {
  type Exchange,
  type FakeController,
  handleFailureModes,
  sendJson,
  streamScript,
  usageOf,
} from './controller';

export function googleErrorBody(status: number, message: string) {
  const statusName = status === 429 ? 'RESOURCE_EXHAUSTED' : status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT';
  return { error: { code: status, message, status: statusName } };
}

function usageMetadata(ex: Exchange) {
  const u = usageOf(ex.script);
  return {
    promptTokenCount: u.inputTokens,
    cachedContentTokenCount: u.cachedInputTokens,
    candidatesTokenCount: u.outputTokens - u.reasoningTokens,
    thoughtsTokenCount: u.reasoningTokens,
    totalTokenCount: u.inputTokens + u.outputTokens,
  };
}

const candidate = (text: string, finishReason?: string) => ({
  content: { parts: [{ text }], role: 'model' },
  index: 0,
  ...(finishReason ? { finishReason } : {}),
});

/** POST /v1beta/models/{model}:generateContent | :streamGenerateContent */
export async function generateContent(ex: Exchange, model: string, stream: boolean): Promise<void> {
  if (handleFailureModes(ex, googleErrorBody)) return;
  const finish = ex.script.finishReason === 'length' ? 'MAX_TOKENS' : 'STOP';
  if (!stream) {
    return sendJson(ex, {
      candidates: [candidate(ex.script.chunks.join(''), finish)],
      usageMetadata: usageMetadata(ex),
      modelVersion: model,
    });
  }
  // Like the real API, every SSE event carries the running usage; the last one has the final counts.
  await streamScript(ex, {
    contentType: 'text/event-stream',
    start: () => [],
    chunk: (text) => [
      `data: ${JSON.stringify({ candidates: [candidate(text)], modelVersion: model })}\r\n\r\n`,
    ],
    end: () => [
      `data: ${JSON.stringify({ candidates: [candidate('', finish)], usageMetadata: usageMetadata(ex), modelVersion: model })}\r\n\r\n`,
    ],
    error: (message) => [`data: ${JSON.stringify(googleErrorBody(500, message))}\r\n\r\n`],
  });
}

/** GET /v1beta/models?pageSize&pageToken */
export function listModels(ex: Exchange, controller: FakeController): Promise<void> {
  const pageSize = Number(ex.url.searchParams.get('pageSize') ?? 50) || 50;
  const start = Number(ex.url.searchParams.get('pageToken') ?? 0) || 0;
  const page = controller.models.slice(start, start + pageSize);
  const next = start + pageSize < controller.models.length ? String(start + pageSize) : undefined;
  return sendJson(ex, {
    models: page.map((m) => ({
      name: `models/${m.id}`,
      displayName: m.name ?? m.id,
      description: `${m.name ?? m.id} (fake)`,
      inputTokenLimit: m.contextWindow,
      outputTokenLimit: m.maxOutputTokens,
      supportedGenerationMethods: ['generateContent', 'countTokens'],
    })),
    ...(next ? { nextPageToken: next } : {}),
  });
}
