import { OpenAPIHono, type RouteConfig, type RouteHandler } from '@hono/zod-openapi';
import { AppError } from './errors';
import type { AppEnv } from './hono-env';

/** zod failures at the edge become 422 with one entry per failing field (path → message). */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    strict: false,
    defaultHook: (result) => {
      if (!result.success) {
        const fields: Record<string, string> = {};
        for (const issue of result.error.issues) {
          const key = issue.path.length ? issue.path.join('.') : '(body)';
          fields[key] ??= issue.message;
        }
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
