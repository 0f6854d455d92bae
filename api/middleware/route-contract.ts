/**
 * Two answers that need to know every registered route, so they are computed from the router itself
 * (lazily, once all routes are registered):
 * - 405 `method_not_allowed:route` with `Allow` when the path exists under another method (RFC 9110 §15.5.6),
 *   instead of a 404 that hides the route;
 * - 415 `unsupported_media_type:request` when an operation documented with a JSON body receives another
 *   content type (or a body with none) — zod would otherwise see an empty object and answer a confusing 422.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import { AppError } from '../lib/errors';
import type { AppEnv } from '../lib/hono-env';

interface Pattern {
  regex: RegExp;
  method: string;
  /** Documented request content types (an operation may take JSON or a multipart upload). */
  types?: string[];
}

const escapeRe = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** Hono path (`/api/users/:id`, `:file{.+}`, `*`) → anchored regex. */
export function honoPathRegex(path: string): RegExp {
  const body = path
    .split('/')
    .map((seg) => {
      if (seg === '*') return '.*';
      const param = /^:\w+(\{(.+)\})?(\?)?$/.exec(seg);
      if (param) return param[2] ? `(?:${param[2]})` : '[^/]+';
      return escapeRe(seg);
    })
    .join('/');
  return new RegExp(`^${body}/?$`);
}

/** OpenAPI path (`/api/v1/conversations/{id}`) → anchored regex. */
export const openApiPathRegex = (path: string): RegExp =>
  new RegExp(
    `^${path
      .split(/\{[^}]+\}/)
      .map(escapeRe)
      .join('[^/]+')}/?$`,
  );

/** Methods registered for `pathname` on this router (excluding catch-all middleware), with HEAD for GET. */
export function allowedMethods(
  router: OpenAPIHono<AppEnv>,
  pathname: string,
  cache: { patterns?: Pattern[] },
) {
  cache.patterns ??= router.routes
    .filter((r) => r.method !== 'ALL' && !r.path.endsWith('*'))
    .map((r) => ({ method: r.method.toUpperCase(), regex: honoPathRegex(r.path) }));
  const methods = new Set(cache.patterns.filter((p) => p.regex.test(pathname)).map((p) => p.method));
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

/** The catch-all handler of the /api router: 405 with Allow for a known path, else 404. */
export function unmatchedRoute(router: OpenAPIHono<AppEnv>) {
  const cache: { patterns?: Pattern[] } = {};
  return (c: { req: { method: string; url: string } }): never => {
    const pathname = new URL(c.req.url).pathname;
    const allow = allowedMethods(router, pathname, cache);
    if (allow.length)
      throw new AppError('method_not_allowed:route', `${c.req.method} is not allowed on ${pathname}`, {
        headers: { Allow: allow.join(', ') },
        details: { allow },
      });
    throw new AppError('not_found:route', `No API route ${c.req.method} ${pathname}`);
  };
}

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

/** 415 for documented JSON-body operations receiving a body of a type they do not document. */
export function requireJsonBodies(router: OpenAPIHono<AppEnv>) {
  let operations: Pattern[] | null = null;
  const load = (): Pattern[] => {
    const doc = router.getOpenAPI31Document({ openapi: '3.1.0', info: { title: '', version: '' } });
    const out: Pattern[] = [];
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(item ?? {})) {
        const content = (op as { requestBody?: { content?: Record<string, unknown> } })?.requestBody?.content;
        if (content && Object.keys(content).some((t) => JSON_TYPE.test(t)))
          out.push({
            method: method.toUpperCase(),
            regex: openApiPathRegex(path),
            types: Object.keys(content).map((t) => t.toLowerCase()),
          });
      }
    }
    return out;
  };
  return createMiddleware<AppEnv>((c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    operations ??= load();
    const path = c.req.path;
    const op = operations.find((o) => o.method === method && o.regex.test(path));
    if (!op) return next();
    const type = c.req.header('content-type');
    const bare = type?.split(';')[0]?.trim().toLowerCase();
    if (bare && op.types?.includes(bare)) return next();
    const length = c.req.header('content-length');
    const hasBody =
      (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
    if (type ? JSON_TYPE.test(type) : !hasBody) return next();
    throw new AppError(
      'unsupported_media_type:request',
      `This endpoint takes application/json${type ? `, not ${type.split(';')[0]}` : ''}`,
      { details: { expected: 'application/json', received: type ?? null } },
    );
  });
}
