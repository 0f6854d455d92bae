import { OpenAPIHono, type RouteConfig, type RouteHandler } from '@hono/zod-openapi';
import { AppError } from './errors';
import type { AppEnv } from './hono-env';
import { issueFields } from './validate';

/** zod failures at the edge become 422 with one entry per failing field (path → message). */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    strict: false,
    defaultHook: (result) => {
      if (!result.success) {
        const fields = issueFields(result.error.issues, '(body)');
        throw new AppError(
          'validation:request',
          `Invalid ${result.target}: ${Object.keys(fields).join(', ')}`,
          {
            details: { target: result.target, fields },
          },
        );
      }
    },
  });
}

export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;
