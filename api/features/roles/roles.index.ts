import { createRouter } from '../../lib/create-router';
import * as handlers from './roles.handlers';
import * as routes from './roles.routes';

export const rolesRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.create, handlers.create)
  .openapi(routes.patch, handlers.patch)
  .openapi(routes.remove, handlers.remove)
  .openapi(routes.capabilities, handlers.capabilities);
