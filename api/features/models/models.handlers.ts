import type { AppRouteHandler } from '../../lib/create-router';
import type * as routes from './models.routes';

export const listUsable: AppRouteHandler<typeof routes.listUsable> = async (c) =>
  c.json({ models: await c.var.services.models.listUsable(c.var.ctx, c.req.valid('query').surface) }, 200);

export const list: AppRouteHandler<typeof routes.list> = async (c) =>
  c.json({ models: await c.var.services.models.list(c.var.ctx) }, 200);

export const providers: AppRouteHandler<typeof routes.providers> = async (c) =>
  c.json({ providers: await c.var.services.models.providerStatus(c.var.ctx) }, 200);

export const discover: AppRouteHandler<typeof routes.discover> = async (c) =>
  c.json({ models: await c.var.services.models.discover(c.var.ctx, c.req.valid('query')) }, 200);

export const testRef: AppRouteHandler<typeof routes.testRef> = async (c) =>
  c.json(await c.var.services.models.testRef(c.var.ctx, c.req.valid('json')), 200);

export const create: AppRouteHandler<typeof routes.create> = async (c) =>
  c.json(await c.var.services.models.create(c.var.ctx, c.req.valid('json')), 201);

export const getOne: AppRouteHandler<typeof routes.getOne> = async (c) =>
  c.json(await c.var.services.models.get(c.var.ctx, c.req.valid('param').id), 200);

export const patch: AppRouteHandler<typeof routes.patch> = async (c) =>
  c.json(await c.var.services.models.update(c.var.ctx, c.req.valid('param').id, c.req.valid('json')), 200);

export const remove: AppRouteHandler<typeof routes.remove> = async (c) => {
  await c.var.services.models.remove(c.var.ctx, c.req.valid('param').id);
  return c.body(null, 204);
};

export const setGrants: AppRouteHandler<typeof routes.setGrants> = async (c) =>
  c.json(await c.var.services.models.setGrants(c.var.ctx, c.req.valid('param').id, c.req.valid('json')), 200);

export const test: AppRouteHandler<typeof routes.test> = async (c) =>
  c.json(await c.var.services.models.test(c.var.ctx, c.req.valid('param').id), 200);
