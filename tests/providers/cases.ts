/** The five provider paths under test, each wired to its fake upstream. */
import type { ProviderCredentials, ProviderId } from '../../api/ai/credentials';
import type { FakeUpstream } from '../helpers/fake-upstreams';

export interface ProviderCase {
  provider: ProviderId;
  credentials(fake: FakeUpstream): ProviderCredentials;
  /** Path the fake must see for a streamed call of model `fake-large`. */
  streamPath: string;
  /** Path for a non-streamed call. */
  generatePath: string;
  /** A request header that proves the configured credential was sent. */
  auth: { header: string; value: string | RegExp };
  /** Whether the protocol reports reasoning tokens separately (Bedrock Converse does not). */
  reasoningDetails: boolean;
}

export const CASES: ProviderCase[] = [
  {
    provider: 'openai',
    credentials: (f) => ({ apiKey: 'sk-test-openai', baseURL: f.baseURL }),
    streamPath: '/v1/responses',
    generatePath: '/v1/responses',
    auth: { header: 'authorization', value: 'Bearer sk-test-openai' },
    reasoningDetails: true,
  },
  {
    provider: 'azure',
    credentials: (f) => ({ apiKey: 'azure-test-key', baseURL: f.baseURL }),
    streamPath: '/openai/chat/completions',
    generatePath: '/openai/chat/completions',
    auth: { header: 'api-key', value: 'azure-test-key' },
    reasoningDetails: true,
  },
  {
    provider: 'google',
    credentials: (f) => ({ apiKey: 'google-test-key', baseURL: f.baseURL }),
    streamPath: '/v1beta/models/fake-large:streamGenerateContent',
    generatePath: '/v1beta/models/fake-large:generateContent',
    auth: { header: 'x-goog-api-key', value: 'google-test-key' },
    reasoningDetails: true,
  },
  {
    provider: 'amazon-bedrock',
    credentials: (f) => ({
      region: 'us-east-1',
      accessKeyId: 'AKIDTESTBEDROCK',
      secretAccessKey: 'bedrock-test-secret',
      baseURL: f.baseURL,
    }),
    streamPath: '/model/fake-large/converse-stream',
    generatePath: '/model/fake-large/converse',
    auth: {
      header: 'authorization',
      value: /^AWS4-HMAC-SHA256 Credential=AKIDTESTBEDROCK\/\d{8}\/us-east-1\/bedrock\//,
    },
    reasoningDetails: false,
  },
  {
    provider: 'openai-compatible',
    credentials: (f) => ({ apiKey: 'compat-test-key', baseURL: f.baseURL }),
    streamPath: '/v1/chat/completions',
    generatePath: '/v1/chat/completions',
    auth: { header: 'authorization', value: 'Bearer compat-test-key' },
    reasoningDetails: true,
  },
];
