import type { AppRouteHandler } from '../../lib/create-router';
import type * as routes from './sso.routes';

export const list: AppRouteHandler<typeof routes.list> = async (c) =>
  c.json(await c.get('services').sso.list(c.get('ctx')), 200);

export const create: AppRouteHandler<typeof routes.create> = async (c) =>
  c.json(await c.get('services').sso.create(c.get('ctx'), c.req.valid('json')), 201);

export const patch: AppRouteHandler<typeof routes.patch> = async (c) =>
  c.json(await c.get('services').sso.update(c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200);

export const remove: AppRouteHandler<typeof routes.remove> = async (c) => {
  await c.get('services').sso.remove(c.get('ctx'), c.req.valid('param').id);
  return c.body(null, 204);
};

export const test: AppRouteHandler<typeof routes.test> = async (c) =>
  c.json(await c.get('services').sso.test(c.get('ctx'), c.req.valid('param').id), 200);
