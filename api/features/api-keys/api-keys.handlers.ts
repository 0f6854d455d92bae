import type { AppRouteHandler } from '../../lib/create-router';
import type * as routes from './api-keys.routes';

export const listMine: AppRouteHandler<typeof routes.listMine> = async (c) => {
  const { apiKeys } = c.get('services');
  const items = await apiKeys.listMine(c.get('ctx'));
  return c.json({ items, grantableScopes: apiKeys.grantable(c.get('ctx')) }, 200);
};

export const create: AppRouteHandler<typeof routes.create> = async (c) => {
  const created = await c.get('services').apiKeys.create(c.get('ctx'), c.req.valid('json'));
  // The secret is in this body only: keep it out of every cache.
  c.header('Cache-Control', 'no-store');
  return c.json(created, 201);
};

export const revokeMine: AppRouteHandler<typeof routes.revokeMine> = async (c) =>
  c.json(await c.get('services').apiKeys.revokeMine(c.get('ctx'), c.req.valid('param').id), 200);

export const adminList: AppRouteHandler<typeof routes.adminList> = async (c) =>
  c.json(await c.get('services').apiKeys.adminList(c.get('ctx'), c.req.valid('query')), 200);

export const adminRevoke: AppRouteHandler<typeof routes.adminRevoke> = async (c) =>
  c.json(await c.get('services').apiKeys.adminRevoke(c.get('ctx'), c.req.valid('param').id), 200);

export const adminUsage: AppRouteHandler<typeof routes.adminUsage> = async (c) =>
  c.json(
    await c.get('services').apiKeys.adminUsage(c.get('ctx'), c.req.valid('param').id, c.req.valid('query')),
    200,
  );
