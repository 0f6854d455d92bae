import { createRouter } from '../../lib/create-router';
import * as handlers from './decisions.handlers';
import * as routes from './decisions.routes';

export const decisionsRouter = createRouter()
  .openapi(routes.listNodes, handlers.listNodes)
  .openapi(routes.createNode, handlers.createNode)
  .openapi(routes.getNode, handlers.getNode)
  .openapi(routes.updateNode, handlers.updateNode)
  .openapi(routes.deleteNode, handlers.deleteNode)
  .openapi(routes.connections, handlers.connections)
  .openapi(routes.nodePackage, handlers.nodePackage)
  .openapi(routes.listEdges, handlers.listEdges)
  .openapi(routes.createEdge, handlers.createEdge)
  .openapi(routes.deleteEdge, handlers.deleteEdge)
  .openapi(routes.captureDecision, handlers.captureDecision);
