/**
 * `describe_capabilities`: what this deployment offers the caller, by section — so an agent can decide what
 * to try before calling anything else. Read-only; any signed-in caller with `mcp:read`.
 */
import { z } from 'zod';
import { can } from '../lib/authz';
import { APP_VERSION } from '../lib/version';
import { defineTool } from './tool';

const SECTIONS = [
  {
    section: 'chat',
    capability: 'chat:use',
    summary: 'One-shot completions with the models you may use, and your conversations',
  },
  { section: 'compare', capability: 'compare:use', summary: 'Compare models side by side (in the web app)' },
  { section: 'assistants', capability: 'assistants:use', summary: 'Run published assistants' },
  {
    section: 'knowledge',
    capability: 'knowledge:use',
    summary: 'Search the knowledge repositories you may read',
  },
  { section: 'decisions', capability: 'decisions:read', summary: 'Search and read the decision graph' },
] as const;

export const describeCapabilities = defineTool({
  name: 'describe_capabilities',
  title: 'Describe capabilities',
  description:
    'Lists what this AI Studio deployment offers you, section by section (chat, models, knowledge, decisions …), which of those your account and token may use, and the tools you can call. Call it first when you are unsure what to do here.',
  input: z.object({}),
  output: z.object({
    deployment: z.object({ name: z.string(), version: z.string() }),
    you: z.object({ name: z.string(), roles: z.array(z.string()) }),
    sections: z.array(
      z.object({
        section: z.string(),
        available: z.boolean(),
        summary: z.string(),
        detail: z.string().nullable(),
      }),
    ),
    tools: z.array(z.object({ name: z.string(), title: z.string(), readOnly: z.boolean() })),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  scopes: ['mcp:read'],
  capability: null,
  async handler(_input, { ctx, services, available }) {
    const { actor } = ctx;
    const name = (await services.settings.get(ctx, 'app.name')) ?? 'AI Studio';
    const chat = can(actor, 'chat:use');
    const models = chat ? (await services.models.listUsable(ctx, 'chat')).length : 0;
    return {
      deployment: { name, version: APP_VERSION },
      you: { name: actor.label, roles: actor.roles },
      sections: SECTIONS.map((s) => {
        const available = can(actor, s.capability);
        return {
          section: s.section,
          available,
          summary: s.summary,
          detail:
            s.section === 'chat' && available
              ? `${models} model${models === 1 ? '' : 's'} available to you`
              : null,
        };
      }),
      tools: (available ?? []).map((t) => ({
        name: t.name,
        title: t.title,
        readOnly: t.annotations.readOnlyHint === true,
      })),
    };
  },
});
