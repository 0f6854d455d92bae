/**
 * Fake AI upstreams over real HTTP, one per wire protocol. Usage:
 *
 *   const fake = await startFakeUpstream('openai'); // or azure | google | amazon-bedrock | openai-compatible
 *   fake.script({ chunks: ['Hi', ' there'], interChunkDelayMs: 20, usage: { inputTokens: 12, outputTokens: 2 } });
 *   // point the provider at fake.baseURL (setting `openai.base_url`, or credentials.baseURL)
 *   fake.lastRequest().headers.authorization; // 'Bearer sk-…'
 *   await fake.lastRequest().outcome;          // 'completed' | 'client-closed' (caller aborted) | 'cut' | 'failed'
 *   await fake.close();
 *
 * `script` sets the answer for every following completion request, `enqueue` queues one-shot answers (consumed
 * first), `reset` restores the default and clears the record. A script may add `firstTokenDelayMs`,
 * `finishReason: 'length'`, `fail: { status, message, retryAfterSeconds }`, `hang`, `cutAfterChunks`,
 * `hangAfterChunks`, or `errorAfterChunks` (+ `errorMessage`: the protocol's own mid-stream error event);
 * OpenAI chat also takes `omitUsage`, `afterAnswer` (raw text before `[DONE]`) and `rawBody` (not the protocol).
 * `POST /v1/embeddings` (OpenAI and OpenAI-compatible) answers concept-aware vectors that match paraphrases.
 * `fake.models` feeds the model-list endpoints; `waitForRequests(n)` waits for traffic.
 */
import * as bedrock from './bedrock';
import { type Exchange, FakeController, type ProtocolHandler, sendJson, startFakeServer } from './controller';
import * as google from './google';
import * as openai from './openai';

export type {
  FakeModel,
  RecordedRequest,
  RequestOutcome,
  Script,
  ScriptFailure,
  ScriptUsage,
} from './controller';

export type FakeProtocol = 'openai' | 'azure' | 'google' | 'amazon-bedrock' | 'openai-compatible';

type Route = { handler: ProtocolHandler; consumesScript: boolean } | null;
type Router = (controller: FakeController) => (method: string, url: URL) => Route;

const completion = (handler: ProtocolHandler): Route => ({ handler, consumesScript: true });
const listing = (handler: ProtocolHandler): Route => ({ handler, consumesScript: false });

/** OpenAI and OpenAI-compatible servers live under /v1. */
const openaiRouter: Router = (controller) => (method, url) => {
  const p = url.pathname;
  if (method === 'POST' && p === '/v1/chat/completions')
    return completion((ex) => openai.chatCompletions(ex));
  if (method === 'POST' && p === '/v1/responses') return completion((ex) => openai.responses(ex));
  if (method === 'POST' && p === '/v1/embeddings') return completion((ex) => openai.embeddings(ex));
  if (method === 'GET' && p === '/v1/models') return listing((ex) => openai.listModels(ex, controller));
  return null;
};

/**
 * Azure OpenAI: the v1 API (`/openai/v1/...?api-version=v1`), bare `/openai/...` (custom base URLs) and the
 * legacy deployment URLs (`/openai/deployments/{name}/...`), where the deployment names the model.
 */
const azureRouter: Router = (controller) => (method, url) => {
  const m = /^\/openai(?:\/v1|\/deployments\/([^/]+))?\/(chat\/completions|responses|models)$/.exec(
    url.pathname,
  );
  if (method === 'GET' && url.pathname === '/openai/deployments') {
    return listing((ex) => sendDeployments(ex, controller));
  }
  if (!m) return null;
  const [, deployment, op] = m;
  const name = deployment ? decodeURIComponent(deployment) : undefined;
  if (method === 'POST' && op === 'chat/completions')
    return completion((ex) => openai.chatCompletions(ex, name));
  if (method === 'POST' && op === 'responses') return completion((ex) => openai.responses(ex, name));
  if (method === 'GET' && op === 'models') return listing((ex) => openai.listModels(ex, controller));
  return null;
};

function sendDeployments(ex: Exchange, controller: FakeController) {
  return sendJson(ex, {
    object: 'list',
    data: controller.models.map((m) => ({
      id: m.id,
      model: m.id,
      object: 'deployment',
      status: 'succeeded',
    })),
  });
}

const googleRouter: Router = (controller) => (method, url) => {
  if (method === 'GET' && url.pathname === '/v1beta/models') {
    return listing((ex) => google.listModels(ex, controller));
  }
  const m = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(url.pathname);
  if (method !== 'POST' || !m) return null;
  const model = decodeURIComponent(m[1]!);
  return completion((ex) => google.generateContent(ex, model, m[2] === 'streamGenerateContent'));
};

const bedrockRouter: Router = (controller) => (method, url) => {
  if (method === 'GET' && url.pathname === '/foundation-models') {
    return listing((ex) => bedrock.listFoundationModels(ex, controller));
  }
  if (method === 'GET' && url.pathname === '/inference-profiles') {
    return listing((ex) => bedrock.listInferenceProfiles(ex, controller));
  }
  const m = /^\/model\/([^/]+)\/(converse|converse-stream)$/.exec(url.pathname);
  if (method !== 'POST' || !m) return null;
  return completion((ex) => bedrock.converse(ex, m[2] === 'converse-stream'));
};

const ROUTERS: Record<FakeProtocol, { router: Router; basePath: string }> = {
  openai: { router: openaiRouter, basePath: '/v1' },
  'openai-compatible': { router: openaiRouter, basePath: '/v1' },
  azure: { router: azureRouter, basePath: '/openai' },
  google: { router: googleRouter, basePath: '/v1beta' },
  'amazon-bedrock': { router: bedrockRouter, basePath: '' },
};

export class FakeUpstream extends FakeController {
  /** Origin, e.g. http://127.0.0.1:41234 */
  url = '';
  /** What the provider's `baseURL` should be set to (origin + the protocol's base path). */
  baseURL = '';
  private closeServer: () => Promise<void> = async () => {};

  constructor(readonly protocol: FakeProtocol) {
    super();
  }

  /** @internal */
  async listen(): Promise<this> {
    const { router, basePath } = ROUTERS[this.protocol];
    const server = await startFakeServer(this, router(this));
    this.url = server.url;
    this.baseURL = server.url + basePath;
    this.closeServer = server.close;
    return this;
  }

  /** Stops the server, dropping hung and streaming connections. */
  close(): Promise<void> {
    return this.closeServer();
  }
}

export function startFakeUpstream(protocol: FakeProtocol): Promise<FakeUpstream> {
  return new FakeUpstream(protocol).listen();
}
