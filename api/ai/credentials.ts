/**
 * Provider credentials, read through the settings service at call time (database first, env fallback; the
 * settings cache is invalidated on every write and by NOTIFY from other processes). Nothing here is cached,
 * so a key changed in the admin UI or CLI applies to the next call without a restart.
 */
import type { Ctx } from '../lib/ctx';
import { AppError } from '../lib/errors';

import { PROVIDER_LABELS, type ProviderId } from './provider-ids';

export { isProviderId, PROVIDER_LABELS, PROVIDERS, type ProviderId } from './provider-ids';

export interface ProviderCredentials {
  apiKey?: string;
  baseURL?: string;
  /** Azure: the resource in https://{resourceName}.openai.azure.com (unless baseURL is set). */
  resourceName?: string;
  /** Bedrock: SigV4 region and keys (ignored for signing when apiKey — a Bedrock API key — is set). */
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
}

/** What the resolver needs from the settings service. */
export interface SettingsReader {
  get(ctx: Ctx, key: string): Promise<string | null>;
}

/** The settings each provider reads (credential field → setting key). */
export const PROVIDER_SETTING_KEYS: Record<ProviderId, Partial<Record<keyof ProviderCredentials, string>>> = {
  openai: { apiKey: 'openai.api_key', baseURL: 'openai.base_url' },
  azure: { apiKey: 'azure.api_key', baseURL: 'azure.base_url', resourceName: 'azure.resource_name' },
  google: { apiKey: 'google.api_key', baseURL: 'google.base_url' },
  'amazon-bedrock': {
    region: 'aws.region',
    accessKeyId: 'aws.access_key_id',
    secretAccessKey: 'aws.secret_access_key',
    sessionToken: 'aws.session_token',
    apiKey: 'bedrock.api_key',
    baseURL: 'bedrock.base_url',
  },
  'openai-compatible': { apiKey: 'openai_compatible.api_key', baseURL: 'openai_compatible.base_url' },
};

/**
 * Reads the provider's settings. `baseUrl` (a model's own URL, e.g. one Ollama host per model) wins over
 * the provider-wide setting. Throws `not_configured:provider` (409) naming the missing settings.
 */
export async function resolveCredentials(
  settings: SettingsReader,
  ctx: Ctx,
  provider: ProviderId,
  overrides: { baseUrl?: string | null } = {},
): Promise<ProviderCredentials> {
  const keys = PROVIDER_SETTING_KEYS[provider];
  const creds: ProviderCredentials = {};
  await Promise.all(
    Object.entries(keys).map(async ([field, key]) => {
      const value = (await settings.get(ctx, key))?.trim();
      if (value) creds[field as keyof ProviderCredentials] = value;
    }),
  );
  if (overrides.baseUrl) {
    // The provider-wide key goes only to the provider-wide server: a per-model URL on another origin (one
    // Ollama host per model) gets no key, so whoever may register models cannot send the key elsewhere.
    if (creds.apiKey && !sameOrigin(creds.baseURL, overrides.baseUrl)) delete creds.apiKey;
    creds.baseURL = overrides.baseUrl;
  }
  assertComplete(provider, creds);
  return creds;
}

function sameOrigin(a: string | undefined, b: string): boolean {
  try {
    return a !== undefined && new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** Which settings are missing for a usable provider (empty when complete). */
export function missingSettings(provider: ProviderId, c: ProviderCredentials): string[] {
  const k = PROVIDER_SETTING_KEYS[provider];
  switch (provider) {
    case 'openai':
    case 'google':
      return c.apiKey ? [] : [k.apiKey!];
    case 'azure':
      return [...(c.apiKey ? [] : [k.apiKey!]), ...(c.resourceName || c.baseURL ? [] : [k.resourceName!])];
    case 'amazon-bedrock': {
      const missing = c.region ? [] : [k.region!];
      if (!c.apiKey && !(c.accessKeyId && c.secretAccessKey)) {
        missing.push(k.accessKeyId!, k.secretAccessKey!);
      }
      return missing;
    }
    case 'openai-compatible':
      return c.baseURL ? [] : [k.baseURL!];
  }
}

export function assertComplete(provider: ProviderId, creds: ProviderCredentials): void {
  const missing = missingSettings(provider, creds);
  if (missing.length) {
    throw new AppError(
      'not_configured:provider',
      `${PROVIDER_LABELS[provider]} is not configured: set ${missing.join(', ')}`,
      { details: { provider, missing } },
    );
  }
}
