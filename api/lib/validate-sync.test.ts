import { createRoute, z } from '@hono/zod-openapi';
import { describe, expect, it, vi } from 'vitest';
import { onError } from '../middleware/error-handler';
import { type AppRouteHandler, createRouter } from './create-router';

const Query = z.object({
  limit: z.coerce.number().int().min(1).max(10).default(5),
  tag: z.union([z.string(), z.array(z.string())]).optional(),
});
const Params = z.object({ id: z.string().regex(/^\d+$/, 'must be digits') });

const item = createRoute({
  method: 'get',
  path: '/items/{id}',
  request: { params: Params, query: Query },
  responses: { 200: { description: 'The item' } },
});

const slowRoute = createRoute({
  method: 'get',
  path: '/slow',
  request: {
    query: z.object({
      name: z.string().refine(async (v) => v !== 'taken', 'is taken'),
    }),
  },
  responses: { 200: { description: 'Checked' } },
});

const show: AppRouteHandler<typeof item> = (c) =>
  c.json({ params: c.req.valid('param'), query: c.req.valid('query') }, 200) as never;
const slow: AppRouteHandler<typeof slowRoute> = (c) => c.json(c.req.valid('query'), 200) as never;

function app() {
  const router = createRouter().openapi(item, show).openapi(slowRoute, slow);
  router.onError(onError);
  return router;
}

describe('query and path parameters checked without the async validators', () => {
  it('hands the handler parsed values: defaults, coercion, a repeated parameter as an array', async () => {
    const asyncParse = vi.spyOn(Query, 'safeParseAsync');
    const a = app();
    expect(await (await a.request('/items/7')).json()).toEqual({ params: { id: '7' }, query: { limit: 5 } });
    expect(await (await a.request('/items/7?limit=3&tag=x&tag=y')).json()).toEqual({
      params: { id: '7' },
      query: { limit: 3, tag: ['x', 'y'] },
    });
    expect(asyncParse).not.toHaveBeenCalled();
  });

  it('refuses a bad query or path parameter with 422 naming the field and the part', async () => {
    const badQuery = await app().request('/items/7?limit=99');
    expect(badQuery.status).toBe(422);
    expect(await badQuery.json()).toMatchObject({
      error: {
        code: 'validation:request',
        details: { target: 'query', fields: { limit: expect.any(String) } },
      },
    });
    const badParam = await app().request('/items/x7');
    expect(badParam.status).toBe(422);
    expect(await badParam.json()).toMatchObject({
      error: { details: { target: 'param', fields: { id: 'must be digits' } } },
    });
  });

  it('parses an asynchronous schema the async way', async () => {
    expect(await (await app().request('/slow?name=free')).json()).toEqual({ name: 'free' });
    const taken = await app().request('/slow?name=taken');
    expect(taken.status).toBe(422);
    expect(await taken.json()).toMatchObject({ error: { details: { fields: { name: 'is taken' } } } });
  });

  it('documents the route with its parameters, once', () => {
    const doc = app().getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } });
    const parameters = doc.paths?.['/items/{id}']?.get?.parameters as Array<{ name: string; in: string }>;
    expect(parameters.map((p) => `${p.in}:${p.name}`).sort()).toEqual([
      'path:id',
      'query:limit',
      'query:tag',
    ]);
    expect(Object.keys(doc.paths ?? {})).toEqual(['/items/{id}', '/slow']);
  });
});
