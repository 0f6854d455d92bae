import { createRouter } from '../../lib/create-router';
import * as handlers from './usage.handlers';
import * as routes from './usage.routes';

export const usageRouter = createRouter()
  .openapi(routes.myUsage, handlers.myUsage)
  .openapi(routes.myBudget, handlers.myBudget)
  .openapi(routes.list, handlers.list)
  .openapi(routes.create, handlers.create)
  .openapi(routes.patch, handlers.patch)
  .openapi(routes.remove, handlers.remove);
