import { createRouter } from '../../lib/create-router';
import * as handlers from './system.handlers';
import * as routes from './system.routes';

export const systemRouter = createRouter()
  .openapi(routes.health, handlers.health)
  .openapi(routes.ready, handlers.ready);
