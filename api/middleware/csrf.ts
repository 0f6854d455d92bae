/**
 * CSRF: an unsafe request (POST/PUT/PATCH/DELETE) that a browser could send with our session cookie — any
 * request carrying the cookie, and the /auth/* forms (login CSRF) — must come from our own origin
 * (APP_URL's, or another of our names: ALLOWED_HOSTS, loopback hosts when APP_URL is loopback — never
 * simply the Host the request brought, which a DNS-rebinding page controls). Foreign Origin (or, without
 * Origin, a foreign Referer) → 403 forbidden:csrf. Bearer-authenticated requests are not exposed to CSRF. Requests
 * without Origin and Referer come from non-browser clients and pass. SameSite=Lax is the second layer.
 */
import { createMiddleware } from 'hono/factory';
import type { Config } from '../config';
import { readSessionToken } from '../features/auth/cookie';
import { AppError } from '../lib/errors';
import type { AppEnv } from '../lib/hono-env';
import { isAllowedHost } from './host-check';

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

/** An origin is ours when it is APP_URL's, or http(s) on one of our host names. */
function isOurOrigin(config: Pick<Config, 'APP_URL' | 'allowedHosts'>, origin: string): boolean {
  if (origin === new URL(config.APP_URL).origin) return true;
  if (origin === 'null') return false;
  const url = new URL(origin);
  return (url.protocol === 'https:' || url.protocol === 'http:') && isAllowedHost(config, url.host);
}

export function csrf(config: Pick<Config, 'APP_URL' | 'allowedHosts'>) {
  return createMiddleware<AppEnv>((c, next) => {
    if (SAFE.has(c.req.method) || c.get('authVia') === 'bearer') return next();
    const pathname = new URL(c.req.url).pathname;
    const cookieBound = readSessionToken(c.req.header('cookie')) !== null || pathname.startsWith('/auth/');
    if (!cookieBound) return next();
    const origin = originOf(c.req.header('origin')) ?? originOf(c.req.header('referer'));
    if (origin === null || isOurOrigin(config, origin)) return next();
    throw new AppError('forbidden:csrf', 'This request came from another site and was refused', {
      details: { origin },
    });
  });
}
