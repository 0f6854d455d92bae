import type { AppRouteHandler } from '../../lib/create-router';
import type * as routes from './auth.routes';

export const session: AppRouteHandler<typeof routes.session> = async (c) =>
  c.json(await c.var.services.auth.current(c.var.ctx), 200);

export const listMySessions: AppRouteHandler<typeof routes.listMySessions> = async (c) =>
  c.json({ items: await c.var.services.auth.listMySessions(c.var.ctx) }, 200);

export const revokeMySession: AppRouteHandler<typeof routes.revokeMySession> = async (c) => {
  await c.var.services.auth.revokeMySession(c.var.ctx, c.req.valid('param').id);
  return c.body(null, 204);
};

export const changeMyPassword: AppRouteHandler<typeof routes.changeMyPassword> = async (c) =>
  c.json(await c.var.services.auth.changePassword(c.var.ctx, c.req.valid('json')), 200);

export const getAuthSettings: AppRouteHandler<typeof routes.getAuthSettings> = async (c) =>
  c.json(await c.var.services.auth.viewSignupPolicy(c.var.ctx), 200);

export const patchAuthSettings: AppRouteHandler<typeof routes.patchAuthSettings> = async (c) =>
  c.json(await c.var.services.auth.setSignupPolicy(c.var.ctx, c.req.valid('json')), 200);
