import type { AppRouteHandler } from '../../lib/create-router';
import type * as routes from './usage.routes';

export const myUsage: AppRouteHandler<typeof routes.myUsage> = async (c) =>
  c.json(await c.get('services').usage.myUsage(c.get('ctx'), c.req.valid('query').month), 200);

export const myBudget: AppRouteHandler<typeof routes.myBudget> = async (c) =>
  c.json(await c.get('services').budgets.status(c.get('ctx')), 200);

export const list: AppRouteHandler<typeof routes.list> = async (c) =>
  c.json({ items: await c.get('services').budgets.list(c.get('ctx')) }, 200);

export const create: AppRouteHandler<typeof routes.create> = async (c) =>
  c.json(await c.get('services').budgets.create(c.get('ctx'), c.req.valid('json')), 201);

export const patch: AppRouteHandler<typeof routes.patch> = async (c) =>
  c.json(
    await c.get('services').budgets.update(c.get('ctx'), c.req.valid('param').id, c.req.valid('json')),
    200,
  );

export const remove: AppRouteHandler<typeof routes.remove> = async (c) => {
  await c.get('services').budgets.remove(c.get('ctx'), c.req.valid('param').id);
  return c.body(null, 204);
};
