/**
 * Names the model admin pages show for providers, surfaces and capabilities, kept in step with the
 * registry's own lists by the `satisfies` checks (type-only imports: nothing from api/ reaches the bundle).
 */
import { isProviderId, PROVIDER_LABELS, PROVIDERS, type ProviderId } from '../../api/ai/provider-ids';
import type { ModelCapability, ModelSurface } from '../../db/schema/models';

/** Extra words in the provider picker only. */
const PICKER_HINTS: Partial<Record<ProviderId, string>> = {
  'openai-compatible': ' (Ollama, vLLM…)',
};

export const PROVIDER_OPTIONS = PROVIDERS.map((id) => ({
  id,
  label: `${PROVIDER_LABELS[id]}${PICKER_HINTS[id] ?? ''}`,
}));

export const providerLabel = (id: string) => (isProviderId(id) ? PROVIDER_LABELS[id] : id);

export const SURFACE_OPTIONS = [
  { id: 'chat', label: 'Chat' },
  { id: 'compare', label: 'Compare' },
  { id: 'assistants', label: 'Assistants' },
] as const satisfies readonly { id: ModelSurface; label: string }[];

export const CAPABILITY_OPTIONS = [
  { id: 'vision', label: 'Vision (images)' },
  { id: 'tools', label: 'Tool calling' },
  { id: 'reasoning', label: 'Reasoning' },
  { id: 'web_search', label: 'Web search' },
  { id: 'file_input', label: 'File input' },
  { id: 'structured_output', label: 'Structured output' },
  { id: 'image_generation', label: 'Image generation' },
] as const satisfies readonly { id: ModelCapability; label: string }[];

/** Which provider a credential setting belongs to, by its key prefix (settings category "providers"). */
export function providerOfSetting(key: string): ProviderId | null {
  const prefix = key.split('.')[0];
  switch (prefix) {
    case 'openai':
      return 'openai';
    case 'azure':
      return 'azure';
    case 'google':
      return 'google';
    case 'aws':
    case 'bedrock':
      return 'amazon-bedrock';
    case 'openai_compatible':
      return 'openai-compatible';
    default:
      return null;
  }
}
