/**
 * The providers a model can run on, with their names for people: the one list (the models table's column
 * enum, credentials, discovery and the admin pages use it). Pure: the web bundle imports it too.
 */
export const PROVIDERS = ['openai', 'azure', 'google', 'amazon-bedrock', 'openai-compatible'] as const;
export type ProviderId = (typeof PROVIDERS)[number];

export const PROVIDER_LABELS: Record<ProviderId, string> = {
  openai: 'OpenAI',
  azure: 'Azure OpenAI',
  google: 'Google Gemini',
  'amazon-bedrock': 'Amazon Bedrock',
  'openai-compatible': 'OpenAI-compatible',
};

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDERS as readonly string[]).includes(value);
}
