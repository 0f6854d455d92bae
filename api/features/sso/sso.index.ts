import { createRouter } from '../../lib/create-router';
import * as handlers from './sso.handlers';
import * as routes from './sso.routes';

export const ssoAdminRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.create, handlers.create)
  .openapi(routes.patch, handlers.patch)
  .openapi(routes.remove, handlers.remove)
  .openapi(routes.test, handlers.test);

export { ssoAuthRouter } from './sso.auth-routes';
