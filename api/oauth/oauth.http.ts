/**
 * The OAuth 2.1 / OIDC endpoints under /api/oauth and the discovery documents under /.well-known, thin over
 * OAuthService / OAuthClientsService. Token-endpoint style errors are RFC 6749 §5.2 JSON (rendered by the
 * app's error handler from the OAuthError classes); the authorization endpoint redirects errors only to a
 * registered redirect URI, and shows the others.
 */
import type { Context } from 'hono';
import { cors } from 'hono/cors';
import { readClientCredentials } from '../features/oauth/clients.service';
import { InvalidRequest, type OAuthError } from '../features/oauth/oauth.errors';
import { AuthorizationFailure } from '../features/oauth/oauth.service';
import { createRouter } from '../lib/create-router';
import type { AppEnv } from '../lib/hono-env';
import { readBearer } from '../middleware/auth';
import { markDocument } from '../middleware/security-headers';
import { authorizationServerMetadata, protectedResourceMetadata } from './discovery';
import { documentOAuthEndpoints } from './oauth.openapi';

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
/** Browser-based clients (MCP inspectors, SPAs) call these cross-origin; no cookies are involved. */
const openCors = cors({
  origin: '*',
  allowMethods: ['GET', 'POST', 'OPTIONS'],
  allowHeaders: ['Authorization', 'Content-Type', 'mcp-protocol-version'],
  exposeHeaders: ['WWW-Authenticate'],
  maxAge: 600,
});

/** A urlencoded body (RFC 6749 §3.2); anything else is `invalid_request`. */
async function readForm(c: Context<AppEnv>): Promise<URLSearchParams> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type))
    throw new InvalidRequest('Send the parameters as application/x-www-form-urlencoded');
  return new URLSearchParams(await c.req.text());
}

function errorPage(c: Context<AppEnv>, err: OAuthError): Response {
  const html = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const nonce = c.get('nonce') ? ` nonce="${c.get('nonce')}"` : '';
  c.header('Cache-Control', 'no-store');
  markDocument(c);
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in request refused</title>
<style${nonce}>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style></head>
<body><main><h1>This sign-in request cannot continue</h1><p>${html(err.description)}</p>
<p><small>Error: <code>${html(err.error)}</code></small></p><p><a href="/">Back to AI Studio</a></p></main></body></html>`,
    err.status === 401 ? 400 : (err.status as 400),
  );
}

export function oauthRouter() {
  const router = createRouter();
  router.use('/oauth/token', openCors);
  router.use('/oauth/revoke', openCors);
  router.use('/oauth/userinfo', openCors);
  router.use('/oauth/jwks', openCors);
  router.use('/oauth/register', openCors);

  router.get('/oauth/jwks', async (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(await c.get('services').oauthKeys.jwks());
  });

  router.get('/oauth/authorize', async (c) => {
    const params = new URL(c.req.url).searchParams;
    try {
      return c.redirect(await c.get('services').oauth.authorize(c.get('ctx'), params), 302);
    } catch (err) {
      if (!(err instanceof AuthorizationFailure)) throw err;
      if (err.redirectTo) return c.redirect(err.redirectTo, 302);
      return errorPage(c, err.oauth);
    }
  });

  router.post('/oauth/token', async (c) => {
    const form = await readForm(c);
    const creds = readClientCredentials(c.req.header('authorization'), form);
    const body = await c.get('services').oauth.token(c.get('ctx'), creds, form);
    return c.json(body, 200, NO_STORE);
  });

  const userinfo = async (c: Context<AppEnv>) => {
    const claims = await c
      .get('services')
      .oauth.userinfo(c.get('ctx'), readBearer(c.req.header('authorization')));
    return c.json(claims, 200, NO_STORE);
  };
  router.get('/oauth/userinfo', userinfo);
  router.post('/oauth/userinfo', userinfo);

  router.post('/oauth/revoke', async (c) => {
    const form = await readForm(c);
    await c
      .get('services')
      .oauth.revoke(c.get('ctx'), readClientCredentials(c.req.header('authorization'), form), form);
    return c.body(null, 200);
  });

  router.post('/oauth/introspect', async (c) => {
    const form = await readForm(c);
    const body = await c
      .get('services')
      .oauth.introspect(c.get('ctx'), readClientCredentials(c.req.header('authorization'), form), form);
    return c.json(body, 200, NO_STORE);
  });

  router.post('/oauth/register', async (c) => {
    const services = c.get('services');
    const ctx = c.get('ctx');
    // Anonymous registration: bounded per address so nobody can fill the table.
    const limit = await services.rateLimiter.consume(`oauth-register:${ctx.ip ?? 'unknown'}`, 20);
    if (!limit.allowed) {
      c.header('Retry-After', String(Math.max(1, Math.ceil(limit.resetMs / 1000))));
      return c.json(
        { error: 'slow_down', error_description: 'Too many registrations; try again later' },
        429,
      );
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      body = null;
    }
    return c.json(await services.oauthClients.dynamic.register(ctx, body), 201, NO_STORE);
  });

  router.get('/oauth/register/:clientId', async (c) => {
    const registration = await c
      .get('services')
      .oauthClients.dynamic.readRegistration(
        c.get('ctx'),
        c.req.param('clientId'),
        readBearer(c.req.header('authorization')),
      );
    return c.json(registration, 200, NO_STORE);
  });

  documentOAuthEndpoints(router);
  return router;
}

/** /.well-known documents (outside /api). */
export function wellKnownRouter() {
  const router = createRouter();
  router.use('/.well-known/*', openCors);
  const asMetadata = async (c: Context<AppEnv>) => {
    const services = c.get('services');
    const ctx = c.get('ctx');
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(
      authorizationServerMetadata(
        services.oauth.issuer(),
        await services.oauthClients.dynamic.registrationMode(ctx),
      ),
    );
  };
  router.get('/.well-known/openid-configuration', asMetadata);
  router.get('/.well-known/oauth-authorization-server', asMetadata);
  // Path-suffixed variants (RFC 8414 §3.1 for issuers with a path; some clients try them): the same document.
  router.get('/.well-known/oauth-authorization-server/*', asMetadata);
  router.get('/.well-known/openid-configuration/*', asMetadata);
  const prMetadata = (c: Context<AppEnv>) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(protectedResourceMetadata(c.get('services').oauth.issuer()));
  };
  router.get('/.well-known/oauth-protected-resource', prMetadata);
  router.get('/.well-known/oauth-protected-resource/api/mcp', prMetadata);
  return router;
}
