import { createRouter } from '../../lib/create-router';
import * as handlers from './openai.handlers';
import * as routes from './openai.routes';

export const openAiRouter = createRouter()
  .openapi(routes.listModels, handlers.listModels)
  .openapi(routes.getModel, handlers.getModel)
  .openapi(routes.chatCompletions, handlers.chatCompletions);
