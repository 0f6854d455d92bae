import { createRouter } from '../../lib/create-router';
import * as handlers from './chat.handlers';
import * as routes from './chat.routes';

export const chatRouter = createRouter()
  .openapi(routes.stream, handlers.stream)
  .openapi(routes.stop, handlers.stop)
  .openapi(routes.resume, handlers.resume)
  .openapi(routes.list, handlers.list)
  .openapi(routes.create, handlers.create)
  .openapi(routes.getOne, handlers.getOne)
  .openapi(routes.patch, handlers.patch)
  .openapi(routes.remove, handlers.remove)
  .openapi(routes.fork, handlers.fork)
  .openapi(routes.messages, handlers.messages);
