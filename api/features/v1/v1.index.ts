import { createRouter } from '../../lib/create-router';
import * as handlers from './v1.handlers';
import * as routes from './v1.routes';

export const v1Router = createRouter()
  .openapi(routes.health, handlers.health)
  .openapi(routes.me, handlers.me)
  .openapi(routes.listConversations, handlers.listConversations)
  .openapi(routes.getConversation, handlers.getConversation);
