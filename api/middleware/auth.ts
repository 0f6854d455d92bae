/**
 * Authentication: runs after requestContext for every path (/api/* and the Remix catch-all) and replaces
 * c.get('ctx') with one carrying the actor. Resolvers are tried in order; the first that recognises the
 * request wins. Bearer tokens count only on the machine surfaces (`BEARER_PATHS`: /api/v1, /api/mcp):
 * elsewhere a token is ignored, so a leaked key can never reach the UI API (password, sessions, keys).
 * Token kinds are `bearerTokenResolvers`: API keys (`sk-…`) and OAuth access tokens (JWTs).
 * A Bearer token no kind claims leaves the request anonymous (routes then answer 401); a claimed but
 * invalid one (unknown, revoked, expired key) answers 401 at once.
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { clearSessionCookie, readSessionToken, SESSION_COOKIE } from '../features/auth/cookie';
import { looksLikeJwt } from '../features/oauth/jwt';
import { InvalidToken } from '../features/oauth/oauth.errors';
import { type Actor, withActor } from '../lib/ctx';
import { AppError } from '../lib/errors';
import type { AppEnv } from '../lib/hono-env';
import { resourceMetadataUrl } from '../oauth/discovery';
import type { Services } from '../services';

export interface AuthResolution {
  actor: Actor;
  via: 'cookie' | 'bearer';
  /** A Set-Cookie to send with the response (the session's sliding expiry). */
  setCookie?: string;
  /** The credential's own request budget per minute (API keys; OAuth tokens: their client's, per person). */
  rateLimitRpm?: number;
}

/**
 * Returns a resolution, null when the request is not for this resolver (at once, without a promise, when
 * the request's headers show it), or throws an AppError (bad token).
 */
export type ActorResolver = (
  c: Context<AppEnv>,
  services: Services,
) => AuthResolution | null | Promise<AuthResolution | null>;

export const sessionCookieResolver: ActorResolver = (c, services) => {
  const token = readSessionToken(c.req.header('cookie'));
  if (!token) return null;
  return services.auth
    .resolveSession(c.get('ctx'), token)
    .then((resolved) => resolved && { actor: resolved.actor, via: 'cookie', setCookie: resolved.cookie });
};

/** Path prefixes where `Authorization: Bearer` is honoured. */
export const BEARER_PATHS = ['/api/v1/', '/api/v1', '/api/mcp'];

export interface BearerTokenResolver {
  /** Whether this kind of token is this resolver's (by shape, without I/O). */
  claims(token: string): boolean;
  resolve(c: Context<AppEnv>, services: Services, token: string): Promise<AuthResolution>;
}

export const apiKeyTokenResolver: BearerTokenResolver = {
  claims: (token) => token.startsWith('sk-'),
  async resolve(c, services, token) {
    const { actor, key } = await services.apiKeys.resolve(c.get('ctx'), token);
    return { actor, via: 'bearer', rateLimitRpm: key.rateLimitRpm };
  },
};

/** The audiences an access token may carry on this path (RFC 8707): the deployment, or this resource. */
function audiencesFor(path: string, issuer: string): string[] {
  return path === '/api/mcp' ? [`${issuer}/api/mcp`, issuer] : [`${issuer}/api/v1`, issuer];
}

/** OAuth access tokens (JWT, RFC 9068), verified against our key set; one cached lookup for grant + user. */
export const oauthTokenResolver: BearerTokenResolver = {
  claims: looksLikeJwt,
  async resolve(c, services, token) {
    const issuer = services.oauth.issuer();
    try {
      const { actor, rateLimitRpm } = await services.oauth.resolveAccessToken(
        token,
        audiencesFor(c.req.path, issuer),
      );
      return { actor, via: 'bearer', rateLimitRpm };
    } catch (err) {
      if (!(err instanceof InvalidToken)) throw err;
      const challenge = `Bearer error="invalid_token", error_description="${err.description}"`;
      throw new AppError('unauthorized:oauth', err.description, {
        headers: {
          'WWW-Authenticate':
            c.req.path === '/api/mcp'
              ? `${challenge}, resource_metadata="${resourceMetadataUrl(issuer)}"`
              : challenge,
        },
      });
    }
  },
};

/** Token kinds, tried in order. */
export const bearerTokenResolvers: BearerTokenResolver[] = [apiKeyTokenResolver, oauthTokenResolver];

export function readBearer(header: string | undefined): string | null {
  const match = /^Bearer[ \t]+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

export const bearerResolver: ActorResolver = (c, services) => {
  const path = c.req.path;
  if (!BEARER_PATHS.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p))) return null;
  const token = readBearer(c.req.header('authorization'));
  if (!token) return null;
  const kind = bearerTokenResolvers.find((r) => r.claims(token));
  return kind ? kind.resolve(c, services, token) : null;
};

/** Bearer resolvers go first: a request carrying a token means the token, not a stray cookie. */
export const defaultResolvers: ActorResolver[] = [bearerResolver, sessionCookieResolver];

const setsSessionCookie = (res: Response) =>
  res.headers.getSetCookie().some((v) => v.startsWith(`${SESSION_COOKIE}=`));

export function authenticate(services: Services, resolvers: ActorResolver[] = defaultResolvers) {
  return createMiddleware<AppEnv>(async (c, next) => {
    c.set('authVia', null);
    c.set('rateLimitRpm', null);
    // Hashed static assets need no identity: spare them the session lookup.
    if (c.req.path.startsWith('/assets/')) return next();
    let resolution: AuthResolution | null = null;
    for (const resolve of resolvers) {
      const resolving = resolve(c, services);
      resolution = resolving instanceof Promise ? await resolving : resolving;
      if (resolution) break;
    }
    if (resolution) {
      c.set('authVia', resolution.via);
      c.set('rateLimitRpm', resolution.rateLimitRpm ?? null);
      c.set('ctx', withActor(c.get('ctx'), resolution.actor));
    }
    // Slide a live session's cookie, or drop a dead one, unless the response signs in or out itself.
    // Most responses have neither to do: their headers are never read, and the chain's own promise is
    // returned without a layer around it (ADR 019).
    const cookie = resolution
      ? resolution.setCookie
      : readSessionToken(c.req.header('cookie')) &&
        clearSessionCookie({ secure: services.config.secureCookies });
    if (!cookie) return next();
    await next();
    if (!setsSessionCookie(c.res)) c.res.headers.append('Set-Cookie', cookie);
  });
}
