import { createRouter } from '../../lib/create-router';
import * as handlers from './auth.handlers';
import * as routes from './auth.routes';

export const authRouter = createRouter()
  .openapi(routes.session, handlers.session)
  .openapi(routes.listMySessions, handlers.listMySessions)
  .openapi(routes.revokeMySession, handlers.revokeMySession)
  .openapi(routes.changeMyPassword, handlers.changeMyPassword)
  .openapi(routes.getAuthSettings, handlers.getAuthSettings)
  .openapi(routes.patchAuthSettings, handlers.patchAuthSettings);
