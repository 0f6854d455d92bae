/**
 * CSRF: an unsafe request (POST/PUT/PATCH/DELETE) that a browser could send with our session cookie — any
 * request carrying the cookie, and the /auth/* forms (login CSRF) — must come from our own origin
 * (APP_URL's, or the request's own Host for localhost and proxies). Foreign Origin (or, without Origin, a
 * foreign Referer) → 403 forbidden:csrf. Bearer-authenticated requests are not exposed to CSRF. Requests
 * without Origin and Referer come from non-browser clients and pass. SameSite=Lax is the second layer.
 */
import { createMiddleware } from 'hono/factory';
import { readSessionToken } from '../features/auth/cookie';
import { AppError } from '../lib/errors';
import type { AppEnv } from '../lib/hono-env';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

function originOf(value: string | undefined): string | null {
  if (!value) return null;
  if (value === 'null') return 'null';
  try {
    return new URL(value).origin;
  } catch {
    return 'null';
  }
}

export function csrf(options: { appUrl: string }) {
  const appOrigin = new URL(options.appUrl).origin;
  return createMiddleware<AppEnv>(async (c, next) => {
    if (SAFE.has(c.req.method) || c.var.authVia === 'bearer') return next();
    const pathname = new URL(c.req.url).pathname;
    const cookieBound = readSessionToken(c.req.header('cookie')) !== null || pathname.startsWith('/auth/');
    if (!cookieBound) return next();
    const origin = originOf(c.req.header('origin')) ?? originOf(c.req.header('referer'));
    if (origin === null || origin === appOrigin) return next();
    const host = c.req.header('host');
    if (origin !== 'null' && host && new URL(origin).host === host) return next();
    throw new AppError('forbidden:csrf', 'This request came from another site and was refused', {
      details: { origin },
    });
  });
}
