/**
 * Builds the single Hono app: middleware order, the /api router (OpenAPI), static assets, then Remix for
 * every other path.
 */
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { OpenAPIHono } from '@hono/zod-openapi';
import { registerDocs } from './docs/docs';
import { apiKeysRouter } from './features/api-keys/api-keys.index';
import { attachmentsRouter } from './features/attachments/attachments.index';
import { auditRouter } from './features/audit/audit.index';
import { authRouter } from './features/auth/auth.index';
import { brandingRouter, faviconRouter } from './features/branding/branding.index';
import { chatRouter } from './features/chat/chat.index';
import { compareRouter } from './features/compare/compare.index';
import { decisionsRouter } from './features/decisions/decisions.index';
import { knowledgeRouter } from './features/knowledge/knowledge.index';
import { modelsRouter } from './features/models/models.index';
import { openAiRouter } from './features/openai/openai.index';
import { rolesRouter } from './features/roles/roles.index';
import { ssoAdminRouter, ssoAuthRouter } from './features/sso/sso.index';
import { systemRouter } from './features/system/system.index';
import { usageRouter } from './features/usage/usage.index';
import { usersRouter } from './features/users/users.index';
import { v1Router } from './features/v1/v1.index';
import { createRouter } from './lib/create-router';
import { AppError } from './lib/errors';
import type { AppEnv } from './lib/hono-env';
import { mcpRouter } from './mcp/mcp.http';
import { authenticate } from './middleware/auth';
import { requestBodyLimit } from './middleware/body-limit';
import { csrf } from './middleware/csrf';
import { onError } from './middleware/error-handler';
import { hostCheck } from './middleware/host-check';
import { installInputNormalization, normalizeFormRequest } from './middleware/normalize-input';
import { apiRateLimit } from './middleware/rate-limit';
import { requestContext } from './middleware/request-context';
import { requireJsonBodies, unmatchedRoute } from './middleware/route-contract';
import { cspNonce, markDocument, securityHeaders } from './middleware/security-headers';
import { closeIfBodyUnread } from './middleware/unread-body';
import { oauthRouter, wellKnownRouter } from './oauth/oauth.http';
import type { Services } from './services';
import { BUILD_DIR, type RemixHandler } from './web-mount';

export interface CreateAppOptions {
  services: Services;
  /** Omit to serve the API alone (API tests). */
  remix?: RemixHandler;
  dev?: boolean;
  buildDir?: string;
}

/** The /api router alone: its OpenAPI registry is the documented contract. */
export function createApiRouter(services: Services) {
  const api = createRouter().basePath('/api');
  api.use('*', requestBodyLimit(services.config.BODY_LIMIT_MB));
  // 415 for non-JSON bodies on JSON operations; per-minute budgets on the public API (keys and users).
  api.use('*', requireJsonBodies(api));
  api.use('/v1/*', apiRateLimit());
  api.use('/mcp', apiRateLimit());
  api.route('/', systemRouter);
  api.route('/', authRouter);
  api.route('/', usersRouter);
  api.route('/', rolesRouter);
  api.route('/', auditRouter);
  api.route('/', ssoAdminRouter);
  api.route('/', modelsRouter);
  api.route('/', chatRouter);
  api.route('/', compareRouter);
  api.route('/', attachmentsRouter);
  api.route('/', brandingRouter);
  api.route('/', usageRouter);
  api.route('/', apiKeysRouter);
  api.route('/', v1Router);
  api.route('/', knowledgeRouter);
  api.route('/', decisionsRouter);
  api.route('/', openAiRouter);
  api.route('/', oauthRouter());
  api.route('/', mcpRouter());
  registerDocs(api);
  // 405 + Allow for a known path under another method, else 404.
  api.all('*', unmatchedRoute(api));
  return api;
}

export function createApp(options: CreateAppOptions) {
  const { services } = options;
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', closeIfBodyUnread);
  app.use('*', requestContext(services));
  // DNS rebinding: only our own host names get past this (421 JSON otherwise).
  app.use('*', hostCheck(services.config));
  // Every value read from a request (JSON body, query, path parameters) is normalised (issue 9.2).
  installInputNormalization();
  app.use('*', securityHeaders({ https: services.config.secureCookies, dev: options.dev ?? false }));
  const staticRoot =
    options.remix && !options.dev
      ? path.relative(process.cwd(), path.join(options.buildDir ?? BUILD_DIR, 'client'))
      : null;
  if (staticRoot) {
    // Hashed assets before authentication: no session lookup for a script or stylesheet.
    app.use(
      '/assets/*',
      serveStatic({
        root: staticRoot,
        onFound: (_p, c) => c.header('Cache-Control', 'public, max-age=31536000, immutable'),
      }),
    );
  }
  // Who is calling (session cookie, later Bearer tokens), then CSRF for cookie-bound unsafe requests.
  app.use('*', authenticate(services));
  app.use('*', csrf(services.config));
  app.onError(onError);
  app.notFound((c) => onError(new AppError('not_found:route', 'Not found'), c));

  app.route('/', createApiRouter(services));
  app.route('/', ssoAuthRouter());
  app.route('/', wellKnownRouter());
  app.route('/', faviconRouter());

  if (options.remix) {
    const remix = options.remix;
    if (staticRoot) {
      app.use(
        '*',
        serveStatic({
          root: staticRoot,
          onFound: (_p, c) => c.header('Cache-Control', 'public, max-age=3600'),
        }),
      );
    }
    app.all('*', async (c) => {
      markDocument(c);
      return remix(await normalizeFormRequest(c.req.raw), {
        services,
        ctx: c.get('ctx'),
        nonce: cspNonce(c),
        requestId: c.get('requestId'),
      });
    });
  }
  return app;
}
