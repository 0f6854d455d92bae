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

/**
 * /favicon.ico at the root, which browsers request for documents that are not pages (a JSON answer, an
 * image): the same icon the pages link. Public, outside the API (not in the OpenAPI document).
 */
export function faviconRouter() {
  return createRouter().get('/favicon.ico', handlers.favicon);
}
