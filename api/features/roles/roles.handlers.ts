import type { AppRouteHandler } from '../../lib/create-router';
import type * as routes from './roles.routes';

export const list: AppRouteHandler<typeof routes.list> = async (c) =>
  c.json({ items: await c.get('services').roles.list(c.get('ctx')) }, 200);

export const create: AppRouteHandler<typeof routes.create> = async (c) =>
  c.json(await c.get('services').roles.create(c.get('ctx'), c.req.valid('json')), 201);

export const patch: AppRouteHandler<typeof routes.patch> = async (c) =>
  c.json(
    await c.get('services').roles.update(c.get('ctx'), c.req.valid('param').id, c.req.valid('json')),
    200,
  );

export const remove: AppRouteHandler<typeof routes.remove> = async (c) => {
  await c.get('services').roles.remove(c.get('ctx'), c.req.valid('param').id);
  return c.body(null, 204);
};

export const capabilities: AppRouteHandler<typeof routes.capabilities> = async (c) =>
  c.json({ items: await c.get('services').roles.listCapabilities(c.get('ctx')) }, 200);
