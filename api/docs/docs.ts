/**
 * /api/openapi.json (OpenAPI 3.1 from the zod routes) and /api/docs, a swagger-ui page whose assets come
 * from the swagger-ui-dist package on this server, so the reference works with no internet access.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../lib/hono-env';
import { APP_VERSION } from '../lib/version';

const require = createRequire(import.meta.url);
const SWAGGER_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const INIT_JS = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    tryItOutEnabled: true,
    validatorUrl: null,
    docExpansion: 'list',
    tagsSorter: 'alpha',
  });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>AI Studio API reference</title>
  <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
  <link rel="icon" type="image/png" href="/api/docs/assets/favicon-32x32.png">
</head>
<body>
  <main id="swagger-ui" aria-label="API reference"></main>
  <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/api/docs/init.js"></script>
</body>
</html>`;

export function registerDocs(api: OpenAPIHono<AppEnv>): void {
  api.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'aistudio_session',
    description: 'Browser session cookie (set by signing in at /auth/signin)',
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'sk-…',
    description: 'An API key created under Profile → API keys: `Authorization: Bearer sk-…`',
  });

  api.doc31('/openapi.json', (c) => ({
    openapi: '3.1.0',
    info: {
      title: 'AI Studio API',
      version: APP_VERSION,
      description:
        'REST API of AI Studio. Errors share one shape: `{ error: { code, message, details }, requestId }`.',
    },
    servers: [{ url: new URL(c.req.url).origin }],
    security: [{ session: [] } as Record<string, string[]>, { apiKey: [] } as Record<string, string[]>],
  }));

  api.get('/docs', (c) => c.html(PAGE));
  api.get('/docs/init.js', (c) => c.body(INIT_JS, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  api.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    const type = ASSETS[file];
    if (!type) return c.notFound();
    const body = await readFile(path.join(SWAGGER_DIR, file));
    return c.body(body, 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
}
