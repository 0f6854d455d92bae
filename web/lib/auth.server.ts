/**
 * Identity in Remix loaders and actions. The actor comes from the load context (the Hono auth middleware
 * resolved the session cookie). Of api/ only pure, stateless modules are imported at runtime (STACK-NOTES
 * trap 2: the Remix bundle gets its own copy, harmless for a pure function).
 */
import { type AppLoadContext, redirect } from '@remix-run/node';
import { can } from '../../api/lib/authz';
import type { Capability } from '../../api/lib/capabilities';
import type { Actor } from '../../api/lib/ctx';
import { safeNext as safeNextPath } from '../../api/lib/safe-next';

export const SIGN_IN_PATH = '/auth/signin';
/** Where signing in lands when no `next` is given: chat, what people open AI Studio for. */
export const DEFAULT_LANDING = '/chat';

/** Pages anyone may open. Everything else needs a signed-in user. */
export function isPublicPath(pathname: string): boolean {
  return (
    pathname === '/' ||
    pathname === '/auth' ||
    pathname.startsWith('/auth/') ||
    pathname.startsWith('/api/') ||
    pathname.startsWith('/assets/') ||
    pathname.startsWith('/.well-known/') ||
    pathname.startsWith('/resources/')
  );
}

/** The page a request is for: single-fetch data requests (`/x.data?_routes=…`) map back to `/x`. */
export function pagePathOf(request: Request): string {
  const url = new URL(request.url);
  let pathname = url.pathname;
  if (pathname === '/_root.data') pathname = '/';
  else if (pathname.endsWith('.data')) pathname = pathname.slice(0, -'.data'.length) || '/';
  url.searchParams.delete('_routes');
  const search = url.searchParams.toString();
  return search ? `${pathname}?${search}` : pathname;
}

/** A same-origin path to go to after signing in (the one check, api/lib/safe-next.ts); else `fallback`. */
export function safeNext(next: string | null | undefined, fallback = DEFAULT_LANDING): string {
  return safeNextPath(next, fallback);
}

export function signInUrl(request: Request): string {
  const next = pagePathOf(request);
  return next === '/' ? SIGN_IN_PATH : `${SIGN_IN_PATH}?next=${encodeURIComponent(next)}`;
}

/** The services' own rule (api/lib/authz.ts), so a page never disagrees with the API behind it. */
export { can, canAny } from '../../api/lib/authz';

/** The signed-in actor, or a redirect to the sign-in page that comes back here afterwards. */
export function requireUser(context: AppLoadContext, request: Request): Actor & { id: string } {
  const actor = context.ctx.actor;
  if (actor.type === 'anonymous' || actor.id === null) throw redirect(signInUrl(request));
  return actor as Actor & { id: string };
}

/** Like requireUser, and a 403 page when the capability is missing. */
export function requireCapability(
  context: AppLoadContext,
  request: Request,
  capability: Capability,
): Actor & { id: string } {
  const actor = requireUser(context, request);
  if (!can(actor, capability)) {
    throw new Response(`You do not have permission for this (${capability})`, {
      status: 403,
      statusText: 'Forbidden',
    });
  }
  return actor;
}

/** For the root loader: app pages need a user; public pages pass. */
export function guardPage(context: AppLoadContext, request: Request): void {
  if (!isPublicPath(new URL(pagePathOf(request), 'http://x').pathname)) requireUser(context, request);
}

/** The shape of an AppError thrown by a service, read without importing the class. */
export interface ServiceError {
  code: string;
  message: string;
  status: number;
  details?: { fields?: Record<string, string> };
  headers?: Record<string, string>;
}

export function asServiceError(err: unknown): ServiceError | null {
  if (err && typeof err === 'object' && (err as { name?: string }).name === 'AppError')
    return err as ServiceError;
  return null;
}
