import { createRouter } from '../../lib/create-router';
import * as handlers from './api-keys.handlers';
import * as routes from './api-keys.routes';

export const apiKeysRouter = createRouter()
  .openapi(routes.listMine, handlers.listMine)
  .openapi(routes.create, handlers.create)
  .openapi(routes.revokeMine, handlers.revokeMine)
  .openapi(routes.adminList, handlers.adminList)
  .openapi(routes.adminRevoke, handlers.adminRevoke)
  .openapi(routes.adminUsage, handlers.adminUsage);
