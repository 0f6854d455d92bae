import type { AppRouteHandler } from '../../lib/create-router';
import type * as routes from './models.routes';

export const listUsable: AppRouteHandler<typeof routes.listUsable> = async (c) =>
  c.json(
    { models: await c.get('services').models.listUsable(c.get('ctx'), c.req.valid('query').surface) },
    200,
  );

export const list: AppRouteHandler<typeof routes.list> = async (c) =>
  c.json({ models: await c.get('services').models.list(c.get('ctx')) }, 200);

export const providers: AppRouteHandler<typeof routes.providers> = async (c) =>
  c.json({ providers: await c.get('services').models.providerStatus(c.get('ctx')) }, 200);

export const discover: AppRouteHandler<typeof routes.discover> = async (c) =>
  c.json({ models: await c.get('services').models.discover(c.get('ctx'), c.req.valid('query')) }, 200);

export const testRef: AppRouteHandler<typeof routes.testRef> = async (c) =>
  c.json(await c.get('services').models.testRef(c.get('ctx'), c.req.valid('json')), 200);

export const create: AppRouteHandler<typeof routes.create> = async (c) =>
  c.json(await c.get('services').models.create(c.get('ctx'), c.req.valid('json')), 201);

export const getOne: AppRouteHandler<typeof routes.getOne> = async (c) =>
  c.json(await c.get('services').models.get(c.get('ctx'), c.req.valid('param').id), 200);

export const patch: AppRouteHandler<typeof routes.patch> = async (c) =>
  c.json(
    await c.get('services').models.update(c.get('ctx'), c.req.valid('param').id, c.req.valid('json')),
    200,
  );

export const remove: AppRouteHandler<typeof routes.remove> = async (c) => {
  await c.get('services').models.remove(c.get('ctx'), c.req.valid('param').id);
  return c.body(null, 204);
};

export const setGrants: AppRouteHandler<typeof routes.setGrants> = async (c) =>
  c.json(
    await c.get('services').models.setGrants(c.get('ctx'), c.req.valid('param').id, c.req.valid('json')),
    200,
  );

export const test: AppRouteHandler<typeof routes.test> = async (c) =>
  c.json(await c.get('services').models.test(c.get('ctx'), c.req.valid('param').id), 200);
