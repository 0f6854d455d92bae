import type { AppRouteHandler } from '../../lib/create-router';
import type * as routes from './api-keys.routes';

export const listMine: AppRouteHandler<typeof routes.listMine> = async (c) => {
  const { apiKeys } = c.var.services;
  const items = await apiKeys.listMine(c.var.ctx);
  return c.json({ items, grantableScopes: apiKeys.grantable(c.var.ctx) }, 200);
};

export const create: AppRouteHandler<typeof routes.create> = async (c) => {
  const created = await c.var.services.apiKeys.create(c.var.ctx, c.req.valid('json'));
  // The secret is in this body only: keep it out of every cache.
  c.header('Cache-Control', 'no-store');
  return c.json(created, 201);
};

export const revokeMine: AppRouteHandler<typeof routes.revokeMine> = async (c) =>
  c.json(await c.var.services.apiKeys.revokeMine(c.var.ctx, c.req.valid('param').id), 200);

export const adminList: AppRouteHandler<typeof routes.adminList> = async (c) =>
  c.json(await c.var.services.apiKeys.adminList(c.var.ctx, c.req.valid('query')), 200);

export const adminRevoke: AppRouteHandler<typeof routes.adminRevoke> = async (c) =>
  c.json(await c.var.services.apiKeys.adminRevoke(c.var.ctx, c.req.valid('param').id), 200);

export const adminUsage: AppRouteHandler<typeof routes.adminUsage> = async (c) =>
  c.json(
    await c.var.services.apiKeys.adminUsage(c.var.ctx, c.req.valid('param').id, c.req.valid('query')),
    200,
  );
