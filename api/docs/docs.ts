/**
 * /api/openapi.json (OpenAPI 3.1 from the zod routes) and /api/docs, a swagger-ui page whose assets come
 * from the swagger-ui-dist package on this server, so the reference works with no internet access.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { OAUTH_SCOPES, scopeInWords } from '../features/oauth/oauth.scopes';
import type { AppEnv } from '../lib/hono-env';
import { APP_VERSION } from '../lib/version';
import { markDocument } from '../middleware/security-headers';

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

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The page, titled with the product name an administrator set (setting app.name). */
const page = (appName: string) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(appName)} API reference</title>
  <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
  <link rel="icon" type="image/png" href="/api/docs/assets/favicon-32x32.png">
</head>
<body>
  <main id="swagger-ui" aria-label="API reference"></main>
  <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/api/docs/init.js"></script>
</body>
</html>`;

const API_DESCRIPTION = [
  'REST API of AI Studio. Errors share one shape: `{ error: { code, message, details }, requestId }`, except',
  'the OpenAI-compatible endpoints, which answer OpenAI’s `{ error: { message, type, param, code } }`.',
  '',
  'Error codes are `type:surface`; the type sets the status: `bad_request` 400, `unauthorized` 401,',
  '`forbidden` 403 (`forbidden:scope` when a key lacks a scope), `not_found` 404, `method_not_allowed` 405',
  '(with `Allow`), `conflict` 409 (`not_configured:provider` when an admin has not set a provider up yet), `payload_too_large` 413, `unsupported_media_type` 415, `validation` 422',
  '(`details.fields` names each field), `rate_limit` / `budget_exceeded` 429 (with `Retry-After`),',
  '`upstream` 502, `unavailable` 503, `internal` 500.',
  '',
  '**Public API v1** (`/api/v1`): authorize with an API key (`Authorization: Bearer sk-…`; create one with',
  '`POST /api/me/api-keys` or the CLI `apikeys:create`) or the browser session. Each key has scopes and a',
  'per-minute limit (default 60); answers carry `RateLimit-Limit/Remaining/Reset` (reset in seconds) and',
  '`X-RateLimit-*` (reset as a Unix time). Lists use cursor pagination (`limit`, `cursor`, `nextCursor`).',
].join('\n');

const API_TAGS = [
  { name: 'v1', description: 'Public REST API v1 (API key or session)' },
  {
    name: 'v1 · OpenAI-compatible',
    description: 'Point any OpenAI SDK at `<this server>/api/v1` with an `sk-…` key',
  },
  {
    name: 'v1 · Knowledge',
    description:
      'Knowledge repositories (v1; scopes knowledge:read / knowledge:write): sources indexed in the background, hybrid search with citations',
  },
  { name: 'API keys', description: 'Your personal API keys (browser session only)' },
  {
    name: 'OAuth',
    description:
      'OAuth 2.1 / OpenID Connect provider (discovery: `/.well-known/openid-configuration`). Access tokens work on `/api/v1` and `/api/mcp` like API keys',
  },
];

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
    description:
      'An API key (POST /api/me/api-keys, or the CLI apikeys:create): `Authorization: Bearer sk-…`; an OAuth access token works the same way',
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'oauth2', {
    type: 'oauth2',
    description: 'OAuth 2.1 authorization code with PKCE (S256); see /.well-known/openid-configuration',
    flows: {
      authorizationCode: {
        authorizationUrl: '/api/oauth/authorize',
        tokenUrl: '/api/oauth/token',
        refreshUrl: '/api/oauth/token',
        scopes: Object.fromEntries(OAUTH_SCOPES.map((s) => [s, scopeInWords(s)])),
      },
    },
  });

  api.doc31('/openapi.json', (c) => ({
    openapi: '3.1.0',
    info: {
      title: 'AI Studio API',
      version: APP_VERSION,
      description: API_DESCRIPTION,
    },
    servers: [{ url: new URL(c.req.url).origin }],
    tags: API_TAGS,
    security: [{ session: [] } as Record<string, string[]>, { apiKey: [] } as Record<string, string[]>],
  }));

  api.get('/docs', async (c) => {
    const name = (await c.get('services').settings.get(c.get('ctx'), 'app.name'))?.trim();
    markDocument(c);
    return c.html(page(name || 'AI Studio'));
  });
  api.get('/docs/init.js', (c) => c.body(INIT_JS, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  api.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    const type = ASSETS[file];
    if (!type) return c.notFound();
    const body = await readFile(path.join(SWAGGER_DIR, file));
    return c.body(body, 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
}
