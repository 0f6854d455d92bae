/**
 * The API's contract: the OpenAPI document validates, documents every route the /api router serves (and
 * nothing it does not), gives the public API security schemes, tags and examples; and the generic answers —
 * 404, 405 with Allow, 413, 415 — keep the one error shape (OpenAI's on the gateway).
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiRouter } from '../../api/app';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** Routes deliberately outside the document: the document itself and the reference UI's files. */
const UNDOCUMENTED = new Set([
  'GET /api/openapi.json',
  'GET /api/docs',
  'GET /api/docs/init.js',
  'GET /api/docs/assets/{file}',
]);
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

type Doc = {
  paths: Record<
    string,
    Record<
      string,
      {
        security?: Record<string, string[]>[];
        tags?: string[];
        responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
      }
    >
  >;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, { example?: unknown }> };
};

let app: TestApp;
let doc: Doc;

beforeAll(async () => {
  app = await startTestApp();
  doc = (await (await app.fetch('/api/openapi.json')).json()) as Doc;
});
afterAll(async () => app?.close());

describe('OpenAPI document', () => {
  it('validates', async () => {
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it('documents every route the /api router serves, and serves every documented operation', () => {
    const served = new Set(
      createApiRouter(app.services)
        .routes.filter((r) => r.method !== 'ALL' && !r.path.endsWith('*'))
        .map((r) => `${r.method.toUpperCase()} ${r.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')}`),
    );
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.keys(item)
          .filter((m) => METHODS.includes(m))
          .map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    const missing = [...served].filter((r) => !documented.has(r) && !UNDOCUMENTED.has(r));
    const phantom = [...documented].filter((r) => !served.has(r));
    expect(missing).toEqual([]);
    expect(phantom).toEqual([]);
    expect(served.size).toBeGreaterThan(20);
  });

  it('gives every /api/v1 operation a tag, the apiKey scheme (health: none) and error schemas', () => {
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    const v1 = Object.entries(doc.paths).filter(([p]) => p.startsWith('/api/v1/'));
    expect(v1.map(([p]) => p).sort()).toEqual(
      expect.arrayContaining([
        '/api/v1/chat/completions',
        '/api/v1/conversations',
        '/api/v1/conversations/{id}',
        '/api/v1/health',
        '/api/v1/me',
        '/api/v1/models',
      ]),
    );
    for (const [path, item] of v1) {
      for (const [method, op] of Object.entries(item)) {
        expect(op.tags?.[0], `${method} ${path}`).toMatch(/^v1/);
        if (path === '/api/v1/health') expect(op.security).toEqual([]);
        else {
          expect(op.security, `${method} ${path}`).toContainEqual({ apiKey: [] });
          expect(op.responses['401'], `${method} ${path}`).toBeDefined();
          expect(op.responses['429'], `${method} ${path}`).toBeDefined();
        }
      }
    }
    const openAiError =
      doc.paths['/api/v1/chat/completions']!.post!.responses['403']!.content!['application/json']!.schema;
    expect(openAiError).toEqual({ $ref: '#/components/schemas/OpenAIError' });
    expect(doc.components.schemas.Me?.example).toBeDefined();
    expect(doc.components.schemas.OpenAIChatCompletionRequest?.example).toBeDefined();
  });
});

describe('generic answers', () => {
  it('answers a wrong method on a known path 405 with Allow, and an unknown path 404', async () => {
    const del = await app.fetch('/api/v1/me', { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, HEAD');
    expect(await del.json()).toMatchObject({
      error: { code: 'method_not_allowed:route' },
      requestId: expect.any(String),
    });

    const put = await app.fetch('/api/admin/users/00000000-0000-4000-8000-000000000000', { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, PATCH');

    const gateway = await app.fetch('/api/v1/chat/completions');
    expect(gateway.status).toBe(405);
    expect(gateway.headers.get('allow')).toBe('POST');
    expect(await gateway.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'method_not_allowed:route' },
    });

    const none = await app.fetch('/api/v1/nothing-here');
    expect(none.status).toBe(404);
    expect((await none.json()).error.code).toBe('not_found:route');
  });

  it('answers a non-JSON body on a JSON operation 415', async () => {
    const form = await app.fetch('/api/me/api-keys', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=x&scopes=chat',
    });
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({ error: { code: 'unsupported_media_type:request' } });

    const gateway = await app.fetch('/api/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(gateway.status).toBe(415);
    expect((await gateway.json()).error).toMatchObject({
      type: 'invalid_request_error',
      code: 'unsupported_media_type:request',
    });

    const jsonWithCharset = await app.fetch('/api/me/api-keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ name: 'x', scopes: ['chat'] }),
    });
    expect(jsonWithCharset.status).toBe(401);
  });

  it('answers an oversize body 413 on the public API too', async () => {
    const big = 'x'.repeat(app.services.config.BODY_LIMIT_MB * 1024 * 1024 + 10);
    const res = await app.fetch('/api/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: big,
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatchObject({ code: 'payload_too_large:request' });
  });
});
