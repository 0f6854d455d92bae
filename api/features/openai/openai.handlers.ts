import { z } from 'zod';
import type { AppRouteHandler } from '../../lib/create-router';
import { decodeOpaque, encodeOpaque } from '../../lib/cursor';
import { DerivedFrom } from '../../lib/derived';
import { sharedJson } from '../../lib/shared-json';
import { findPublicModel, type PublicModel, usableModels } from './openai.models';
import type * as routes from './openai.routes';

const modelObject = ({ publicId, model }: PublicModel) => ({
  id: publicId,
  object: 'model' as const,
  created: 0,
  owned_by: model.provider,
  name: model.displayName,
});

const encodeAfter = (id: string) => encodeOpaque(id);
const decodeAfter = (cursor: string | undefined) =>
  cursor ? decodeOpaque(cursor, z.string().min(1).max(300)) : undefined;

/** The answer when every model fits the first page: the same for every request with that list. */
const wholeLists = new DerivedFrom<PublicModel[], object>();

export const listModels: AppRouteHandler<typeof routes.listModels> = async (c) => {
  const { limit, cursor } = c.req.valid('query');
  const all = await usableModels(c.get('ctx'), c.get('services').models, 'models:read');
  if (cursor === undefined && all.length <= limit) {
    const body = wholeLists.get(all, () => ({
      object: 'list',
      data: all.map(modelObject),
      has_more: false,
      nextCursor: null,
    }));
    return sharedJson(c, body) as never;
  }
  const after = decodeAfter(cursor);
  // Sorted by public id, so "after" is a stable position even if models were added in between.
  const rest = after === undefined ? all : all.filter((m) => m.publicId > after);
  const page = rest.slice(0, limit);
  const hasMore = rest.length > limit;
  return c.json(
    {
      object: 'list' as const,
      data: page.map(modelObject),
      has_more: hasMore,
      nextCursor: hasMore && page.length ? encodeAfter(page.at(-1)!.publicId) : null,
    },
    200,
  );
};

export const getModel: AppRouteHandler<typeof routes.getModel> = async (c) => {
  const all = await usableModels(c.get('ctx'), c.get('services').models, 'models:read');
  return c.json(modelObject(findPublicModel(all, c.req.valid('param').model)), 200);
};

export const chatCompletions: AppRouteHandler<typeof routes.chatCompletions> = async (c) => {
  const result = await c.get('services').completions.complete(c.get('ctx'), c.req.valid('json'));
  if (result.kind === 'json') return c.json(result.body as never, 200);
  return c.body(result.stream, 200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  }) as never;
};
