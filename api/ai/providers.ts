/**
 * One factory for every chat model: provider id + model id + credentials → an AI SDK language model.
 *
 * API choice per provider (docs/decisions/006-ai-providers-and-exact-costs.md):
 * - `openai` uses the Responses API (`POST /v1/responses`): OpenAI's current API, the one that carries
 *   reasoning summaries and built-in tools (web search, file search, code interpreter) that the
 *   `capabilities` of a model advertise. Gateways that only speak chat completions are `openai-compatible`.
 * - `azure` uses chat completions (`/openai/v1/chat/completions`): every Azure deployment and region
 *   supports it, while Responses on Azure depends on model and region.
 * - `openai-compatible` uses chat completions with `includeUsage: true` (else streams report no usage).
 * - `google` calls `models/{m}:streamGenerateContent?alt=sse`; `amazon-bedrock` calls Converse.
 *
 * Provider objects are built per call: construction is a few object allocations, and building from the
 * current settings is what makes a changed key take effect without a restart (STACK-NOTES trap 9).
 */
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createAzure } from '@ai-sdk/azure';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { EmbeddingModel, LanguageModel } from 'ai';
import type { Ctx } from '../lib/ctx';
import { TtlCache } from '../lib/hot-cache';
import {
  assertComplete,
  type ProviderCredentials,
  type ProviderId,
  resolveCredentials,
  type SettingsReader,
} from './credentials';
import { type DiscoveredModel, listProviderModels } from './discovery';
import { httpFetch } from './http-fetch';
import { type ModelTestResult, testLanguageModel } from './model-test';

export type ProviderModel = Exclude<LanguageModel, string>;

export interface ProviderOptions {
  /** Transport override (tests redirect real hostnames to a fake; a proxy could go here). */
  fetch?: typeof globalThis.fetch;
}

export type ProviderEmbeddingModel = Exclude<EmbeddingModel, string>;

interface SdkProvider {
  language(modelId: string): ProviderModel;
  embedding(modelId: string): ProviderEmbeddingModel;
}

/** The AI SDK provider for one provider id, credentials and transport. */
function sdkProvider(
  provider: ProviderId,
  c: ProviderCredentials,
  fetch: typeof globalThis.fetch,
): SdkProvider {
  switch (provider) {
    case 'openai': {
      const p = createOpenAI({ apiKey: c.apiKey, baseURL: c.baseURL, fetch });
      return { language: (id) => p.responses(id), embedding: (id) => p.embeddingModel(id) };
    }
    case 'azure': {
      const p = createAzure({ apiKey: c.apiKey, resourceName: c.resourceName, baseURL: c.baseURL, fetch });
      return { language: (id) => p.chat(id), embedding: (id) => p.embeddingModel(id) };
    }
    case 'google': {
      const p = createGoogleGenerativeAI({ apiKey: c.apiKey, baseURL: c.baseURL, fetch });
      return { language: (id) => p(id), embedding: (id) => p.embeddingModel(id) };
    }
    case 'amazon-bedrock': {
      const p = createAmazonBedrock({
        region: c.region,
        // An explicit empty-string key would make the SDK fall back to the process env; pass undefined.
        apiKey: c.apiKey || undefined,
        accessKeyId: c.accessKeyId,
        secretAccessKey: c.secretAccessKey,
        sessionToken: c.sessionToken,
        baseURL: c.baseURL,
        fetch,
      });
      return { language: (id) => p(id), embedding: (id) => p.embeddingModel(id) };
    }
    case 'openai-compatible': {
      const p = createOpenAICompatible({
        name: 'openai-compatible',
        baseURL: c.baseURL!,
        apiKey: c.apiKey,
        includeUsage: true,
        fetch,
      });
      return { language: (id) => p.chatModel(id), embedding: (id) => p.embeddingModel(id) };
    }
  }
}

/**
 * Where a model that speaks OpenAI chat completions is called (its `POST …/chat/completions`, headers and
 * transport), so the model-call core can relay that protocol without translating it (api/ai/run/openai-relay.ts).
 */
export interface ChatCompletionsTarget {
  url: string;
  /** The upstream model id. */
  modelId: string;
  headers: Record<string, string>;
  fetch: typeof globalThis.fetch;
}

const chatCompletionsTargets = new WeakMap<ProviderModel, ChatCompletionsTarget>();

/** The chat completions endpoint of a built model, when its provider speaks that protocol (openai-compatible). */
export const chatCompletionsTarget = (model: ProviderModel): ChatCompletionsTarget | undefined =>
  chatCompletionsTargets.get(model);

/** Pure: builds the model from explicit credentials. Throws `not_configured:provider` if any are missing. */
export function createProviderModel(
  provider: ProviderId,
  modelId: string,
  credentials: ProviderCredentials,
  options: ProviderOptions = {},
): ProviderModel {
  assertComplete(provider, credentials);
  const fetch = options.fetch ?? httpFetch;
  const model = sdkProvider(provider, credentials, fetch).language(modelId);
  if (provider === 'openai-compatible') {
    // What @ai-sdk/openai-compatible sends: the same URL, bearer key and content type.
    chatCompletionsTargets.set(model, {
      url: new URL(`${credentials.baseURL!.replace(/\/$/, '')}/chat/completions`).toString(),
      modelId,
      headers: {
        'content-type': 'application/json',
        ...(credentials.apiKey ? { authorization: `Bearer ${credentials.apiKey}` } : {}),
      },
      fetch,
    });
  }
  return model;
}

/** Pure: the embedding model of a provider (same credentials and transport as its chat models). */
export function createProviderEmbeddingModel(
  provider: ProviderId,
  modelId: string,
  credentials: ProviderCredentials,
  options: ProviderOptions = {},
): ProviderEmbeddingModel {
  assertComplete(provider, credentials);
  return sdkProvider(provider, credentials, options.fetch ?? httpFetch).embedding(modelId);
}

/** Which model to build: a row of the model registry carries these. */
export interface ModelRef {
  provider: ProviderId;
  modelId: string;
  /** Per-model base URL (openai-compatible servers); overrides the provider-wide setting. */
  baseUrl?: string | null;
}

/**
 * The factory services use: credentials come from settings at every call (the settings service caches for
 * at most five minutes and drops its cache on writes), so nothing stale outlives a settings change.
 */
export class ProviderFactory {
  /**
   * Built models by provider, model and credentials: building one costs about as much as relaying a short
   * answer. A credentials change makes a new key, so no instance outlives the settings it was built from.
   */
  private readonly built = new TtlCache<ProviderModel>({ ttlMs: 10 * 60_000, max: 500 });

  constructor(private readonly deps: { settings: SettingsReader; options?: ProviderOptions }) {}

  credentials(ctx: Ctx, ref: Pick<ModelRef, 'provider' | 'baseUrl'>): Promise<ProviderCredentials> {
    return resolveCredentials(this.deps.settings, ctx, ref.provider, { baseUrl: ref.baseUrl });
  }

  async languageModel(ctx: Ctx, ref: ModelRef): Promise<ProviderModel> {
    const credentials = await this.credentials(ctx, ref);
    const key = JSON.stringify([ref.provider, ref.modelId, credentials]);
    const hit = this.built.get(key);
    if (hit) return hit;
    const model = createProviderModel(ref.provider, ref.modelId, credentials, this.deps.options);
    this.built.set(key, model);
    return model;
  }

  async embeddingModel(ctx: Ctx, ref: ModelRef): Promise<ProviderEmbeddingModel> {
    return createProviderEmbeddingModel(
      ref.provider,
      ref.modelId,
      await this.credentials(ctx, ref),
      this.deps.options,
    );
  }

  async listModels(ctx: Ctx, ref: Pick<ModelRef, 'provider' | 'baseUrl'>): Promise<DiscoveredModel[]> {
    return listProviderModels(ref.provider, await this.credentials(ctx, ref), this.deps.options);
  }

  /** A one-token call. Configuration problems and upstream errors come back as `{ ok: false }`. */
  async testModel(ctx: Ctx, ref: ModelRef): Promise<ModelTestResult> {
    const started = performance.now();
    try {
      return await testLanguageModel(ref.provider, await this.languageModel(ctx, ref));
    } catch (err) {
      return {
        ok: false,
        latencyMs: Math.round(performance.now() - started),
        error: { message: (err as Error).message },
      };
    }
  }
}
