import { UI_MESSAGE_STREAM_HEADERS } from 'ai';
import type { AppRouteHandler } from '../../lib/create-router';
import { sharedJson } from '../../lib/shared-json';
import type * as routes from './chat.routes';

// The stream route answers text/event-stream, which the typed JSON responses cannot express.
export const stream: AppRouteHandler<typeof routes.stream> = async (c) => {
  const answer = await c.get('services').chat.stream(c.get('ctx'), c.req.valid('json'));
  return new Response(answer.body, {
    headers: {
      ...UI_MESSAGE_STREAM_HEADERS,
      'x-conversation-id': answer.conversationId,
      'x-message-id': answer.messageId,
    },
  }) as never;
};

export const stop: AppRouteHandler<typeof routes.stop> = async (c) =>
  c.json(await c.get('services').chat.stop(c.get('ctx'), c.req.valid('param').messageId), 200);

export const resume: AppRouteHandler<typeof routes.resume> = async (c) => c.body(null, 204);

// The first page is a shared frozen answer (ConversationPages): its JSON is made once (lib/shared-json.ts).
export const list: AppRouteHandler<typeof routes.list> = async (c) =>
  sharedJson(c, await c.get('services').conversations.list(c.get('ctx'), c.req.valid('query'))) as never;

export const create: AppRouteHandler<typeof routes.create> = async (c) =>
  c.json(await c.get('services').conversations.create(c.get('ctx'), c.req.valid('json')), 201);

export const getOne: AppRouteHandler<typeof routes.getOne> = async (c) =>
  c.json(await c.get('services').conversations.get(c.get('ctx'), c.req.valid('param').id), 200);

export const patch: AppRouteHandler<typeof routes.patch> = async (c) =>
  c.json(
    await c.get('services').conversations.update(c.get('ctx'), c.req.valid('param').id, c.req.valid('json')),
    200,
  );

export const remove: AppRouteHandler<typeof routes.remove> = async (c) => {
  await c.get('services').conversations.remove(c.get('ctx'), c.req.valid('param').id);
  return c.body(null, 204);
};

export const fork: AppRouteHandler<typeof routes.fork> = async (c) =>
  c.json(
    await c.get('services').conversations.fork(c.get('ctx'), c.req.valid('param').id, c.req.valid('json')),
    201,
  );

export const messages: AppRouteHandler<typeof routes.messages> = async (c) =>
  c.json(await c.get('services').conversations.messages(c.get('ctx'), c.req.valid('param').id), 200);
