/** Model registry from the shell: add a provider model, list the registry. Works while the server runs. */

import { createCtx, systemActor } from '../../lib/ctx';
import { formatPricePair } from '../../lib/format-money';
import type { Runtime } from '../../runtime';
import type { Command, FlagValue } from '../command';

const cliCtx = (runtime: Runtime) =>
  createCtx({ db: runtime.services.database.db, log: runtime.services.log, actor: systemActor('cli') });

const str = (v: FlagValue) => (typeof v === 'string' ? v : undefined);
const list = (v: FlagValue) =>
  typeof v === 'string'
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
/** A non-numeric value becomes NaN, which the service rejects naming the field. */
const int = (v: FlagValue) => (typeof v === 'string' ? Number(v) : undefined);

export const modelsAdd: Command = {
  name: 'models:add',
  summary: 'Register a provider model (openai, azure, google, amazon-bedrock, openai-compatible)',
  flags: {
    provider: { type: 'string', description: 'Provider id', required: true },
    model: {
      type: 'string',
      description: "The provider's model id (Azure: the deployment name)",
      required: true,
    },
    name: { type: 'string', description: 'Display name (default: the model id)' },
    'base-url': {
      type: 'string',
      description: 'openai-compatible only: this model’s server, e.g. http://host:11434/v1',
    },
    'input-price': { type: 'string', description: 'USD per 1M input tokens' },
    'output-price': { type: 'string', description: 'USD per 1M output tokens' },
    'cached-price': { type: 'string', description: 'USD per 1M cached input tokens' },
    surfaces: {
      type: 'string',
      description: 'Comma-separated: chat,compare,assistants (default chat,compare)',
    },
    capabilities: { type: 'string', description: 'Comma-separated: vision,tools,reasoning,web_search,…' },
    'context-window': { type: 'string', description: 'Context window in tokens' },
    'max-output': { type: 'string', description: 'Maximum output tokens' },
    inactive: { type: 'boolean', description: 'Add it switched off' },
  },
  needsDatabase: true,
  async run({ flags, io, runtime }) {
    const model = await runtime.services.models.create(cliCtx(runtime), {
      provider: String(flags.provider) as never,
      modelId: String(flags.model),
      displayName: str(flags.name),
      baseUrl: str(flags['base-url']) ?? null,
      inputPricePerMillion: str(flags['input-price']) ?? null,
      outputPricePerMillion: str(flags['output-price']) ?? null,
      cachedInputPricePerMillion: str(flags['cached-price']) ?? null,
      surfaces: list(flags.surfaces) as never,
      capabilities: list(flags.capabilities) as never,
      contextWindow: int(flags['context-window']) ?? null,
      maxOutputTokens: int(flags['max-output']) ?? null,
      active: flags.inactive !== true,
    });
    io.result(
      model,
      () => `added ${model.provider} ${model.modelId} as "${model.displayName}" (${model.id})`,
    );
  },
};

export const modelsList: Command = {
  name: 'models:list',
  summary: 'List registered models',
  flags: { provider: { type: 'string', description: 'Only this provider' } },
  needsDatabase: true,
  async run({ flags, io, runtime }) {
    const models = await runtime.services.models.list(cliCtx(runtime));
    const provider = str(flags.provider);
    io.table(
      models
        .filter((m) => !provider || m.provider === provider)
        .map((m) => ({
          provider: m.provider,
          model: m.modelId,
          name: m.displayName,
          active: m.active,
          surfaces: m.surfaces.join(','),
          // People read the prices as the admin pages write them; scripts (--json) keep the exact decimals.
          ...(io.json
            ? { input: m.inputPricePerMillion ?? '', output: m.outputPricePerMillion ?? '' }
            : { prices: formatPricePair(m.inputPricePerMillion, m.outputPricePerMillion) }),
          id: m.id,
        })),
    );
  },
};
