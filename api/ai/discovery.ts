/**
 * "Discover models": list what the provider offers so an admin can pick which to add.
 * - OpenAI and OpenAI-compatible: `GET {base}/models` (Ollama, vLLM, LM Studio serve it too).
 * - Google: `GET {base}/models` (paginated), keeping models that support generateContent.
 * - Azure: deployments are what one calls, so `GET {base}/deployments` (the data-plane listing of API
 *   version 2023-03-15-preview; the newer listing needs an Entra/ARM token, which we do not hold).
 * - Bedrock: the control plane (`bedrock.{region}`, SigV4 service `bedrock`): `GET /foundation-models`
 *   (on-demand text models) plus `GET /inference-profiles` (cross-region ids many models require).
 */
import { AppError } from '../lib/errors';
import { bedrockFetch } from './bedrock-fetch';
import { PROVIDER_LABELS, type ProviderCredentials, type ProviderId } from './credentials';

export interface DiscoveredModel {
  id: string;
  name: string;
  description?: string;
  contextWindow?: number;
  maxOutputTokens?: number;
}

type Fetch = typeof globalThis.fetch;
const TIMEOUT_MS = 15_000;

export const DEFAULT_BASE_URLS = {
  openai: 'https://api.openai.com/v1',
  google: 'https://generativelanguage.googleapis.com/v1beta',
} as const;

const trimSlash = (u: string) => u.replace(/\/+$/, '');

async function getJson<T>(
  provider: ProviderId,
  url: string,
  init: RequestInit,
  fetchFn: Fetch = globalThis.fetch,
): Promise<T> {
  let res: Response;
  try {
    res = await fetchFn(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    throw new AppError('upstream:provider', `${PROVIDER_LABELS[provider]} could not be reached`, {
      status: 502,
      cause: err,
      details: { provider },
    });
  }
  if (!res.ok) {
    const text = (await res.text().catch(() => '')).slice(0, 300);
    throw new AppError(
      'upstream:provider',
      `${PROVIDER_LABELS[provider]} refused to list models (HTTP ${res.status})`,
      { status: 502, details: { provider, upstreamStatus: res.status, upstreamBody: text } },
    );
  }
  return (await res.json()) as T;
}

async function listOpenAI(provider: ProviderId, c: ProviderCredentials, f?: Fetch) {
  const base = trimSlash(c.baseURL ?? DEFAULT_BASE_URLS.openai);
  const headers: Record<string, string> = c.apiKey ? { authorization: `Bearer ${c.apiKey}` } : {};
  const body = await getJson<{ data?: { id: string }[] }>(provider, `${base}/models`, { headers }, f);
  return (body.data ?? []).map((m) => ({ id: m.id, name: m.id }));
}

async function listGoogle(c: ProviderCredentials, f?: Fetch): Promise<DiscoveredModel[]> {
  const base = trimSlash(c.baseURL ?? DEFAULT_BASE_URLS.google);
  type Page = {
    models?: {
      name: string;
      displayName?: string;
      description?: string;
      inputTokenLimit?: number;
      outputTokenLimit?: number;
      supportedGenerationMethods?: string[];
    }[];
    nextPageToken?: string;
  };
  const out: DiscoveredModel[] = [];
  let token: string | undefined;
  // Bounded: a misbehaving server repeating its page token cannot loop us forever.
  for (let page = 0; page < 50; page++) {
    const url = new URL(`${base}/models`);
    url.searchParams.set('pageSize', '1000');
    if (token) url.searchParams.set('pageToken', token);
    const body = await getJson<Page>(
      'google',
      url.toString(),
      { headers: { 'x-goog-api-key': c.apiKey! } },
      f,
    );
    for (const m of body.models ?? []) {
      if (!m.supportedGenerationMethods?.includes('generateContent')) continue;
      out.push({
        id: m.name.replace(/^models\//, ''),
        name: m.displayName ?? m.name,
        description: m.description,
        contextWindow: m.inputTokenLimit,
        maxOutputTokens: m.outputTokenLimit,
      });
    }
    token = body.nextPageToken;
    if (!token) break;
  }
  return out;
}

async function listAzure(c: ProviderCredentials, f?: Fetch): Promise<DiscoveredModel[]> {
  const base = trimSlash(c.baseURL ?? `https://${c.resourceName}.openai.azure.com/openai`).replace(
    /\/v1$/,
    '',
  );
  const body = await getJson<{ data?: { id: string; model?: string; status?: string }[] }>(
    'azure',
    `${base}/deployments?api-version=2023-03-15-preview`,
    { headers: { 'api-key': c.apiKey! } },
    f,
  );
  return (body.data ?? [])
    .filter((d) => !d.status || d.status === 'succeeded')
    .map((d) => ({ id: d.id, name: d.id, description: d.model ? `Deployment of ${d.model}` : undefined }));
}

/** The control plane lives at bedrock.{region}; a custom runtime URL is mapped by name when it can be. */
export function bedrockControlPlaneUrl(c: ProviderCredentials): string {
  if (c.baseURL) return trimSlash(c.baseURL).replace('://bedrock-runtime.', '://bedrock.');
  return `https://bedrock.${c.region}.amazonaws.com`;
}

async function listBedrock(c: ProviderCredentials, f: Fetch = globalThis.fetch): Promise<DiscoveredModel[]> {
  const base = bedrockControlPlaneUrl(c);
  const signedFetch = bedrockFetch(c, f);
  type Summary = {
    modelId: string;
    modelName?: string;
    providerName?: string;
    outputModalities?: string[];
    inferenceTypesSupported?: string[];
    modelLifecycle?: { status?: string };
  };
  type Profile = {
    inferenceProfileId: string;
    inferenceProfileName?: string;
    description?: string;
    status?: string;
  };
  const [models, profiles] = await Promise.all([
    getJson<{ modelSummaries?: Summary[] }>(
      'amazon-bedrock',
      `${base}/foundation-models?byOutputModality=TEXT`,
      {},
      signedFetch,
    ),
    getJson<{ inferenceProfileSummaries?: Profile[] }>(
      'amazon-bedrock',
      `${base}/inference-profiles?typeEquals=SYSTEM_DEFINED&maxResults=1000`,
      {},
      signedFetch,
    ),
  ]);
  const onDemand = (models.modelSummaries ?? [])
    .filter(
      (m) => m.modelLifecycle?.status !== 'LEGACY' && (m.inferenceTypesSupported ?? []).includes('ON_DEMAND'),
    )
    .map((m) => ({
      id: m.modelId,
      name: m.modelName ?? m.modelId,
      description: m.providerName ? `${m.providerName} foundation model` : undefined,
    }));
  const viaProfiles = (profiles.inferenceProfileSummaries ?? [])
    .filter((p) => !p.status || p.status === 'ACTIVE')
    .map((p) => ({
      id: p.inferenceProfileId,
      name: p.inferenceProfileName ?? p.inferenceProfileId,
      description: p.description,
    }));
  return [...onDemand, ...viaProfiles];
}

/** Lists the provider's models, sorted by id. Throws `upstream:provider` (502) when the provider refuses. */
export async function listProviderModels(
  provider: ProviderId,
  credentials: ProviderCredentials,
  options: { fetch?: Fetch } = {},
): Promise<DiscoveredModel[]> {
  const f = options.fetch;
  let list: DiscoveredModel[];
  switch (provider) {
    case 'openai':
    case 'openai-compatible':
      list = await listOpenAI(provider, credentials, f);
      break;
    case 'google':
      list = await listGoogle(credentials, f);
      break;
    case 'azure':
      list = await listAzure(credentials, f);
      break;
    case 'amazon-bedrock':
      list = await listBedrock(credentials, f);
      break;
  }
  return list.sort((a, b) => a.id.localeCompare(b.id));
}
