/** The knowledge tools agents call (MCP today): search across the repositories the caller may read. */
import { z } from 'zod';
import { defineTool } from '../../tools/tool';

const Location = z.object({
  page: z.number().int().optional(),
  sheet: z.string().optional(),
  slide: z.number().int().optional(),
  heading: z.string().optional(),
});

export const searchKnowledgeTool = defineTool({
  name: 'search_knowledge',
  title: 'Search knowledge repositories',
  description:
    'Search the documents in the knowledge repositories you may read (hybrid: meaning and exact words). ' +
    'Returns the best passages with their document title, location (page, sheet, slide or heading) and text. ' +
    'Cite the title and location when you use a passage. Optionally limit to some repository ids.',
  input: z.object({
    query: z.string().trim().min(1).max(500).describe('What to look for, in natural language or keywords'),
    repositoryIds: z.array(z.uuid()).max(50).optional().describe('Search only these repositories'),
    limit: z.number().int().min(1).max(20).default(5).describe('How many passages to return'),
  }),
  output: z.object({
    results: z.array(
      z.object({
        itemId: z.string(),
        repositoryId: z.string(),
        title: z.string(),
        location: Location,
        text: z.string(),
        score: z.number(),
      }),
    ),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  scopes: ['mcp:read', 'knowledge:read'],
  capability: 'knowledge:use',
  async handler(input, { ctx, services }) {
    const results = await services.knowledge.search(ctx, {
      q: input.query,
      limit: input.limit,
      repositoryIds: input.repositoryIds,
    });
    return {
      results: results.map((r) => ({
        itemId: r.itemId,
        repositoryId: r.repositoryId,
        title: r.title,
        location: r.location,
        text: r.text,
        score: r.score,
      })),
    };
  },
});
