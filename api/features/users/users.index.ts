import { createRouter } from '../../lib/create-router';
import * as handlers from './users.handlers';
import * as routes from './users.routes';

export const usersRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.create, handlers.create)
  .openapi(routes.getOne, handlers.getOne)
  .openapi(routes.patch, handlers.patch)
  .openapi(routes.listSessions, handlers.listSessions)
  .openapi(routes.revokeSessions, handlers.revokeSessions)
  .openapi(routes.setPassword, handlers.setPassword);
