import { createRouter } from '../../lib/create-router';
import * as handlers from './knowledge.handlers';
import * as routes from './knowledge.routes';

export const knowledgeRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.create, handlers.create)
  .openapi(routes.getOne, handlers.getOne)
  .openapi(routes.remove, handlers.remove)
  .openapi(routes.setAccess, handlers.setAccess)
  .openapi(routes.setEmbeddingModel, handlers.setEmbeddingModel)
  .openapi(routes.listItems, handlers.listItems)
  .openapi(routes.addItem, handlers.addItem)
  .openapi(routes.getItem, handlers.getItem)
  .openapi(routes.itemFile, handlers.itemFile)
  .openapi(routes.removeItem, handlers.removeItem)
  .openapi(routes.reindexItem, handlers.reindexItem)
  .openapi(routes.searchRepository, handlers.searchRepository)
  .openapi(routes.searchAll, handlers.searchAll);
