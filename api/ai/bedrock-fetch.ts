/**
 * Calls to Amazon Bedrock outside the AI SDK (model discovery, the knowledge rerank pass) with the provider's
 * credentials (api/ai/credentials.ts): a Bedrock API key as a Bearer token, or else a SigV4 signature from
 * aws4fetch (as the S3 driver and Textract sign) under signing name `bedrock`, which the runtime
 * (`bedrock-runtime.{region}`) and the control plane (`bedrock.{region}`) share. No retries here: callers
 * have their own timeout and fallback.
 */
import { AwsClient } from 'aws4fetch';
import type { ProviderCredentials } from './credentials';

type Fetch = typeof globalThis.fetch;

/** The runtime's base URL: `bedrock.base_url` when set, else the region's public endpoint. */
export function bedrockRuntimeUrl(c: ProviderCredentials): string {
  return (c.baseURL ?? `https://bedrock-runtime.${c.region}.amazonaws.com`).replace(/\/+$/, '');
}

/** A fetch that authenticates each request to Bedrock with `c` before sending it through `f`. */
export function bedrockFetch(c: ProviderCredentials, f: Fetch = globalThis.fetch): Fetch {
  if (c.apiKey) {
    const apiKey = c.apiKey;
    return (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${apiKey}`);
      return f(input, { ...init, headers });
    };
  }
  const aws = new AwsClient({
    accessKeyId: c.accessKeyId!,
    secretAccessKey: c.secretAccessKey!,
    sessionToken: c.sessionToken,
    region: c.region,
    service: 'bedrock',
    retries: 0,
  });
  return async (input, init) => {
    const method = init?.method ?? 'GET';
    const signed = await aws.sign(String(input), {
      method,
      headers: init?.headers,
      body: init?.body,
    });
    return f(signed.url, { method, headers: signed.headers, body: init?.body, signal: init?.signal });
  };
}
