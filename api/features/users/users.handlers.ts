import type { AppRouteHandler } from '../../lib/create-router';
import type * as routes from './users.routes';

export const list: AppRouteHandler<typeof routes.list> = async (c) =>
  c.json(await c.var.services.users.list(c.var.ctx, c.req.valid('query')), 200);

export const create: AppRouteHandler<typeof routes.create> = async (c) =>
  c.json(await c.var.services.users.create(c.var.ctx, c.req.valid('json')), 201);

export const getOne: AppRouteHandler<typeof routes.getOne> = async (c) =>
  c.json(await c.var.services.users.get(c.var.ctx, c.req.valid('param').id), 200);

export const patch: AppRouteHandler<typeof routes.patch> = async (c) =>
  c.json(await c.var.services.users.update(c.var.ctx, c.req.valid('param').id, c.req.valid('json')), 200);

export const listSessions: AppRouteHandler<typeof routes.listSessions> = async (c) =>
  c.json({ items: await c.var.services.auth.listUserSessions(c.var.ctx, c.req.valid('param').id) }, 200);

export const revokeSessions: AppRouteHandler<typeof routes.revokeSessions> = async (c) =>
  c.json(await c.var.services.auth.revokeUserSessions(c.var.ctx, c.req.valid('param').id), 200);

export const setPassword: AppRouteHandler<typeof routes.setPassword> = async (c) =>
  c.json(
    await c.var.services.auth.setPassword(c.var.ctx, c.req.valid('param').id, c.req.valid('json').password),
    200,
  );
