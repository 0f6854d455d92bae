import type { AppRouteHandler } from '../../lib/create-router';
import { sharedJson } from '../../lib/shared-json';
import { APP_VERSION } from '../../lib/version';
import { DEFAULT_RPM } from '../../middleware/rate-limit';
import type * as routes from './v1.routes';

export const health: AppRouteHandler<typeof routes.health> = (c) =>
  c.json({ status: 'ok' as const, version: APP_VERSION, apiVersion: 'v1' as const }, 200);

export const me: AppRouteHandler<typeof routes.me> = async (c) =>
  sharedJson(
    c,
    await c.get('services').apiKeys.me(c.get('ctx'), c.get('rateLimitRpm') ?? DEFAULT_RPM),
  ) as never;

// A shared frozen first page: its JSON is made once (lib/shared-json.ts).
export const listConversations: AppRouteHandler<typeof routes.listConversations> = async (c) =>
  sharedJson(c, await c.get('services').conversations.list(c.get('ctx'), c.req.valid('query'))) as never;

export const getConversation: AppRouteHandler<typeof routes.getConversation> = async (c) => {
  const ctx = c.get('ctx');
  const services = c.get('services');
  const { id } = c.req.valid('param');
  const [conversation, messages] = await Promise.all([
    services.conversations.get(ctx, id),
    services.conversations.messages(ctx, id),
  ]);
  return c.json({ ...conversation, messages: messages.branch }, 200);
};
