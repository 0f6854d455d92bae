/**
 * Authentication: runs after requestContext for every path (/api/* and the Remix catch-all) and replaces
 * c.var.ctx with one carrying the actor. Resolvers are tried in order; the first that recognises the
 * request wins. Bearer resolvers (API keys, OAuth access tokens) join `defaultResolvers` later; a Bearer
 * header no resolver claims leaves the request anonymous (routes then answer 401).
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { clearSessionCookie, readSessionToken, SESSION_COOKIE } from '../features/auth/cookie';
import type { Actor } from '../lib/ctx';
import type { AppEnv } from '../lib/hono-env';
import type { Services } from '../services';

export interface AuthResolution {
  actor: Actor;
  via: 'cookie' | 'bearer';
  /** A Set-Cookie to send with the response (the session's sliding expiry). */
  setCookie?: string;
}

/** Returns a resolution, null when the request is not for this resolver, or throws an AppError (bad token). */
export type ActorResolver = (c: Context<AppEnv>, services: Services) => Promise<AuthResolution | null>;

export const sessionCookieResolver: ActorResolver = async (c, services) => {
  const token = readSessionToken(c.req.header('cookie'));
  if (!token) return null;
  const resolved = await services.auth.resolveSession(c.var.ctx, token);
  if (!resolved) return null;
  return { actor: resolved.actor, via: 'cookie', setCookie: resolved.cookie };
};

/** Bearer resolvers go first: a request carrying a token means the token, not a stray cookie. */
export const defaultResolvers: ActorResolver[] = [sessionCookieResolver];

const setsSessionCookie = (res: Response) =>
  res.headers.getSetCookie().some((v) => v.startsWith(`${SESSION_COOKIE}=`));

export function authenticate(services: Services, resolvers: ActorResolver[] = defaultResolvers) {
  return createMiddleware<AppEnv>(async (c, next) => {
    c.set('authVia', null);
    // Hashed static assets need no identity: spare them the session lookup.
    if (c.req.path.startsWith('/assets/')) return next();
    let resolution: AuthResolution | null = null;
    for (const resolve of resolvers) {
      resolution = await resolve(c, services);
      if (resolution) break;
    }
    if (resolution) {
      c.set('authVia', resolution.via);
      c.set('ctx', { ...c.var.ctx, actor: resolution.actor });
    }
    await next();
    // A response that signs in or out sets the cookie itself; otherwise slide it, or drop a dead one.
    if (setsSessionCookie(c.res)) return;
    if (resolution?.setCookie) c.res.headers.append('Set-Cookie', resolution.setCookie);
    else if (!resolution && readSessionToken(c.req.header('cookie'))) {
      c.res.headers.append('Set-Cookie', clearSessionCookie({ secure: services.config.secureCookies }));
    }
  });
}
