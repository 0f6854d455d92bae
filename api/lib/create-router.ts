import { OpenAPIHono, type RouteConfig, type RouteHandler } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './hono-env';
import { rejectRequest } from './validate';
import { validateSync } from './validate-sync';

type Register = OpenAPIHono<AppEnv>['openapi'];

/**
 * Routers for the API. A route's query and path parameters are checked by `validateSync` (lib/validate-sync.ts)
 * instead of the library's validators, which parse with zod's async API behind two awaits: ~7 µs on every
 * `GET /api/v1/models` (ADR 019). The route is documented as declared; bodies keep the library's validators.
 */
export function createRouter() {
  const router = new OpenAPIHono<AppEnv>({
    strict: false,
    // zod failures at the edge become 422 with one entry per failing field (path → message).
    defaultHook: (result) => {
      if (!result.success) rejectRequest(result.target, result.error);
    },
  });
  const register: Register = router.openapi;
  router.openapi = ((config, handler, hook) => {
    const { middleware, hide, ...route } = config;
    const query = route.request?.query;
    const params = route.request?.params;
    if (hook || (!query && !params)) return register(config, handler, hook);
    if (!hide) router.openAPIRegistry.registerPath(route);
    const validators: MiddlewareHandler[] = [];
    if (query) validators.push(validateSync('query', query));
    if (params) validators.push(validateSync('param', params));
    return register(
      {
        ...route,
        hide: true,
        request: { ...route.request, query: undefined, params: undefined },
        middleware: [...(middleware ? [middleware].flat() : []), ...validators],
      },
      handler,
    );
  }) as Register;
  return router;
}

export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;
