import type { AppRouteHandler } from '../../lib/create-router';
import type * as routes from './auth.routes';

export const session: AppRouteHandler<typeof routes.session> = async (c) =>
  c.json(await c.get('services').auth.current(c.get('ctx')), 200);

export const listMySessions: AppRouteHandler<typeof routes.listMySessions> = async (c) =>
  c.json({ items: await c.get('services').auth.listMySessions(c.get('ctx')) }, 200);

export const revokeMySession: AppRouteHandler<typeof routes.revokeMySession> = async (c) => {
  await c.get('services').auth.revokeMySession(c.get('ctx'), c.req.valid('param').id);
  return c.body(null, 204);
};

export const changeMyPassword: AppRouteHandler<typeof routes.changeMyPassword> = async (c) =>
  c.json(await c.get('services').auth.changePassword(c.get('ctx'), c.req.valid('json')), 200);

export const getAuthSettings: AppRouteHandler<typeof routes.getAuthSettings> = async (c) =>
  c.json(await c.get('services').auth.viewSignupPolicy(c.get('ctx')), 200);

export const patchAuthSettings: AppRouteHandler<typeof routes.patchAuthSettings> = async (c) =>
  c.json(await c.get('services').auth.setSignupPolicy(c.get('ctx'), c.req.valid('json')), 200);
