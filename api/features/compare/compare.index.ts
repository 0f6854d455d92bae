import { createRouter } from '../../lib/create-router';
import * as handlers from './compare.handlers';
import * as routes from './compare.routes';

export const compareRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.getOne, handlers.getOne)
  .openapi(routes.rename, handlers.rename)
  .openapi(routes.remove, handlers.remove)
  .openapi(routes.start, handlers.start)
  .openapi(routes.followUp, handlers.followUp)
  .openapi(routes.fuse, handlers.fuse);
