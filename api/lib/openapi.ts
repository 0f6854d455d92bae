/** Shared OpenAPI pieces: the one error shape and the standard error responses a route declares. */
import { z } from '@hono/zod-openapi';

export const ErrorResponse = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
    requestId: z.string(),
  })
  .openapi('Error');

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed request',
  401: 'Not signed in (unauthorized:auth)',
  403: 'Signed in but not allowed (forbidden:<area>), or a cross-site request (forbidden:csrf)',
  404: 'Not found',
  409: 'Conflict with the current state',
  422: 'Invalid input; details.fields names each failing field',
  429: 'Too many requests; see Retry-After',
};

export function errorResponses<const C extends number>(...codes: C[]) {
  return Object.fromEntries(
    codes.map((code) => [
      code,
      {
        description: DESCRIPTIONS[code] ?? 'Error',
        content: { 'application/json': { schema: ErrorResponse } },
      },
    ]),
  ) as Record<C, { description: string; content: { 'application/json': { schema: typeof ErrorResponse } } }>;
}

export const jsonBody = <T extends z.ZodType>(schema: T, description = 'Request body') => ({
  required: true,
  description,
  content: { 'application/json': { schema } },
});

export const jsonOk = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const IdParam = z.object({
  id: z.uuid({ error: 'must be an id' }).openapi({ param: { name: 'id', in: 'path' } }),
});
