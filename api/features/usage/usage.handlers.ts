import type { AppRouteHandler } from '../../lib/create-router';
import type * as routes from './usage.routes';

export const myUsage: AppRouteHandler<typeof routes.myUsage> = async (c) =>
  c.json(await c.var.services.usage.myUsage(c.var.ctx, c.req.valid('query').month), 200);

export const myBudget: AppRouteHandler<typeof routes.myBudget> = async (c) =>
  c.json(await c.var.services.budgets.status(c.var.ctx), 200);

export const list: AppRouteHandler<typeof routes.list> = async (c) =>
  c.json({ items: await c.var.services.budgets.list(c.var.ctx) }, 200);

export const create: AppRouteHandler<typeof routes.create> = async (c) =>
  c.json(await c.var.services.budgets.create(c.var.ctx, c.req.valid('json')), 201);

export const patch: AppRouteHandler<typeof routes.patch> = async (c) =>
  c.json(await c.var.services.budgets.update(c.var.ctx, c.req.valid('param').id, c.req.valid('json')), 200);

export const remove: AppRouteHandler<typeof routes.remove> = async (c) => {
  await c.var.services.budgets.remove(c.var.ctx, c.req.valid('param').id);
  return c.body(null, 204);
};
