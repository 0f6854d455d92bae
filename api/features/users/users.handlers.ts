import type { AppRouteHandler } from '../../lib/create-router';
import type * as routes from './users.routes';

export const list: AppRouteHandler<typeof routes.list> = async (c) =>
  c.json(await c.get('services').users.list(c.get('ctx'), c.req.valid('query')), 200);

export const create: AppRouteHandler<typeof routes.create> = async (c) =>
  c.json(await c.get('services').users.create(c.get('ctx'), c.req.valid('json')), 201);

export const getOne: AppRouteHandler<typeof routes.getOne> = async (c) =>
  c.json(await c.get('services').users.get(c.get('ctx'), c.req.valid('param').id), 200);

export const patch: AppRouteHandler<typeof routes.patch> = async (c) =>
  c.json(
    await c.get('services').users.update(c.get('ctx'), c.req.valid('param').id, c.req.valid('json')),
    200,
  );

export const listSessions: AppRouteHandler<typeof routes.listSessions> = async (c) =>
  c.json(
    { items: await c.get('services').auth.listUserSessions(c.get('ctx'), c.req.valid('param').id) },
    200,
  );

export const revokeSessions: AppRouteHandler<typeof routes.revokeSessions> = async (c) =>
  c.json(await c.get('services').auth.revokeUserSessions(c.get('ctx'), c.req.valid('param').id), 200);

export const setPassword: AppRouteHandler<typeof routes.setPassword> = async (c) =>
  c.json(
    await c
      .get('services')
      .auth.setPassword(c.get('ctx'), c.req.valid('param').id, c.req.valid('json').password),
    200,
  );
