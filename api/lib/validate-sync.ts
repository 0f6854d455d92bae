/**
 * A route's query or path parameters checked in the request's own turn: zod's synchronous parse, no
 * promise unless the schema itself is asynchronous (then the library's way: `safeParseAsync`). The value
 * is what hono's validator hands zod — a query parameter given once is a string, given again an array —
 * and the result is stored where `c.req.valid(target)` reads it. Failures answer like every other
 * request part (lib/validate.ts `rejectRequest`).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { rejectRequest } from './validate';

type Target = 'query' | 'param';

function partOf(c: Context, target: Target): Record<string, unknown> {
  if (target === 'param') return c.req.param();
  if (!c.req.url.includes('?')) return {};
  const value: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(c.req.queries())) value[k] = v.length === 1 ? v[0]! : v;
  return value;
}

export function validateSync(target: Target, schema: z.ZodType): MiddlewareHandler {
  const accept = (c: Context, result: z.ZodSafeParseResult<unknown>) => {
    if (!result.success) rejectRequest(target, result.error);
    c.req.addValidatedData(target, result.data as object);
  };
  return (c, next) => {
    const value = partOf(c, target);
    let result: z.ZodSafeParseResult<unknown>;
    try {
      result = schema.safeParse(value);
    } catch (err) {
      if (!(err instanceof z.core.$ZodAsyncError)) throw err;
      return schema.safeParseAsync(value).then((r) => {
        accept(c, r);
        return next();
      });
    }
    accept(c, result);
    return next();
  };
}
