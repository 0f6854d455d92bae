/** `list_models`: the models the caller may use, under the ids `chat` accepts. */
import { z } from 'zod';
import { defineTool } from '../../tools/tool';
import { usableModels } from '../openai/openai.models';

export const listModels = defineTool({
  name: 'list_models',
  title: 'List models',
  description:
    'Lists the AI models you may use here, with the id to pass as `model` to the chat tool, the provider, context window and price per million tokens (USD).',
  input: z.object({}),
  output: z.object({
    models: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        provider: z.string(),
        description: z.string(),
        contextWindow: z.number().nullable(),
        inputPricePerMillion: z.string().nullable(),
        outputPricePerMillion: z.string().nullable(),
      }),
    ),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  scopes: ['mcp:read'],
  capability: 'chat:use',
  async handler(_input, { ctx, services }) {
    const list = await usableModels(ctx, services.models, 'models:read');
    return {
      models: list.map(({ publicId, model }) => ({
        id: publicId,
        name: model.displayName,
        provider: model.provider,
        description: model.description,
        contextWindow: model.contextWindow,
        inputPricePerMillion: model.inputPricePerMillion,
        outputPricePerMillion: model.outputPricePerMillion,
      })),
    };
  },
});
