/**
 * The browser side of SSO, as plain Hono routes ahead of the Remix catch-all:
 *   GET /auth/sso/:provider       → 302 to the IdP, flow state sealed in a short-lived cookie
 *   GET /auth/callback/:provider  → session cookie + 302 to `next`, or 302 to /auth/signin?error=<code>
 * Nothing here answers 500: any failure becomes a readable message on the sign-in page.
 */

import type { Context } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../../lib/hono-env';
import { FLOW_COOKIE, FLOW_TTL_MS } from './oidc/flow-state';
import { type SsoErrorCode, SsoSignInError } from './sso.errors';

/** Only the callback needs the flow cookie back. */
const FLOW_COOKIE_PATH = '/auth/callback';

function refuse(c: Context<AppEnv>, err: unknown): Response {
  let code: SsoErrorCode = 'sso_failed';
  if (err instanceof SsoSignInError) {
    code = err.code;
    c.get('log').warn({ provider: c.req.param('provider'), code, reason: err.reason }, 'SSO sign-in refused');
  } else {
    c.get('log').error({ err, provider: c.req.param('provider') }, 'SSO sign-in failed unexpectedly');
  }
  deleteCookie(c, FLOW_COOKIE, { path: FLOW_COOKIE_PATH });
  c.header('Cache-Control', 'no-store');
  return c.redirect(`/auth/signin?error=${code}`, 302);
}

export function ssoAuthRouter() {
  const router = new Hono<AppEnv>();

  router.get('/auth/sso/:provider', async (c) => {
    const services = c.get('services');
    const ctx = c.get('ctx');
    try {
      const { location, flow } = await services.sso.signIn.begin(
        ctx,
        c.req.param('provider'),
        c.req.query('next'),
      );
      setCookie(c, FLOW_COOKIE, flow, {
        path: FLOW_COOKIE_PATH,
        httpOnly: true,
        secure: services.config.secureCookies,
        sameSite: 'Lax', // sent on the IdP's top-level redirect back to us, not on cross-site subrequests
        maxAge: Math.floor(FLOW_TTL_MS / 1000),
      });
      c.header('Cache-Control', 'no-store');
      return c.redirect(location, 302);
    } catch (err) {
      return refuse(c, err);
    }
  });

  router.get('/auth/callback/:provider', async (c) => {
    const services = c.get('services');
    const ctx = c.get('ctx');
    try {
      const { user, next } = await services.sso.signIn.complete(
        ctx,
        c.req.param('provider'),
        { code: c.req.query('code'), state: c.req.query('state'), error: c.req.query('error') },
        getCookie(c, FLOW_COOKIE),
      );
      const session = await services.auth.createSession(ctx, user.id, {
        userAgent: c.req.header('user-agent'),
      });
      deleteCookie(c, FLOW_COOKIE, { path: FLOW_COOKIE_PATH });
      c.header('Set-Cookie', session.cookie, { append: true });
      c.header('Cache-Control', 'no-store');
      return c.redirect(next, 302);
    } catch (err) {
      return refuse(c, err);
    }
  });

  return router;
}
