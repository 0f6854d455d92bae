import { createRouter } from '../../lib/create-router';
import * as handlers from './branding.handlers';
import * as routes from './branding.routes';

export const brandingRouter = createRouter()
  .openapi(routes.get, handlers.get)
  .openapi(routes.patch, handlers.patch)
  .openapi(routes.uploadLogo, handlers.uploadLogo)
  .openapi(routes.removeLogo, handlers.removeLogo)
  .openapi(routes.logo, handlers.logo)
  .openapi(routes.themeCss, handlers.themeCss);
