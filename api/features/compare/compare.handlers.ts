import type { Context } from 'hono';
import type { AppRouteHandler } from '../../lib/create-router';
import type { AppEnv } from '../../lib/hono-env';
import type * as routes from './compare.routes';
import type { CompareRun } from './compare.service';

/** The run's SSE body; proxies must not buffer it (X-Accel-Buffering) or tokens arrive in lumps. */
function streamResponse(c: Context<AppEnv>, run: CompareRun) {
  return c.body(run.body, 200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
    'x-comparison-id': run.comparisonId,
  }) as never;
}

export const list: AppRouteHandler<typeof routes.list> = async (c) =>
  c.json({ items: await c.get('services').compare.list(c.get('ctx'), c.req.valid('query').limit) }, 200);

export const getOne: AppRouteHandler<typeof routes.getOne> = async (c) =>
  c.json(await c.get('services').compare.get(c.get('ctx'), c.req.valid('param').id), 200);

export const rename: AppRouteHandler<typeof routes.rename> = async (c) =>
  c.json(
    await c.get('services').compare.rename(c.get('ctx'), c.req.valid('param').id, c.req.valid('json')),
    200,
  );

export const remove: AppRouteHandler<typeof routes.remove> = async (c) => {
  await c.get('services').compare.remove(c.get('ctx'), c.req.valid('param').id);
  return c.body(null, 204);
};

export const start: AppRouteHandler<typeof routes.start> = async (c) =>
  streamResponse(
    c,
    await c.get('services').compare.start(c.get('ctx'), c.req.valid('json'), c.req.raw.signal),
  );

export const followUp: AppRouteHandler<typeof routes.followUp> = async (c) =>
  streamResponse(
    c,
    await c
      .get('services')
      .compare.followUp(c.get('ctx'), c.req.valid('param').id, c.req.valid('json'), c.req.raw.signal),
  );

export const fuse: AppRouteHandler<typeof routes.fuse> = async (c) =>
  streamResponse(
    c,
    await c
      .get('services')
      .compare.fuse(c.get('ctx'), c.req.valid('param').id, c.req.valid('json'), c.req.raw.signal),
  );
