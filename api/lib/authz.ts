/**
 * The one permission check every service uses (REST, Remix, MCP and jobs alike).
 * Administrators and holders of '*' always pass. Otherwise the capability must be held, and when the
 * resource carries grants, the actor's user id or one of its roles must be among them (no grants = open
 * to everyone with the capability).
 */
import type { Actor } from './ctx';
import { AppError, isErrorSurface } from './errors';

export const ADMIN_ROLE = 'administrator';

export interface Grant {
  roleName: string | null;
  userId: string | null;
}

export interface GuardedResource {
  type: string;
  id: string;
  /** Grants of this resource; empty = open to every holder of the capability. */
  grants: readonly Grant[];
}

export const isAdmin = (actor: Actor): boolean =>
  actor.roles.includes(ADMIN_ROLE) || actor.capabilities.has('*');

export function can(actor: Actor, capability: string, resource?: GuardedResource): boolean {
  if (actor.type === 'anonymous') return false;
  // A token (scoped actor) reaches only the capabilities its scopes imply (api/lib/scopes.ts), even when its
  // owner is an administrator; the admin bypass below then only skips per-resource grants.
  if (actor.scopes !== null && !actor.capabilities.has(capability)) return false;
  if (isAdmin(actor)) return true;
  if (!actor.capabilities.has(capability)) return false;
  if (!resource || resource.grants.length === 0) return true;
  return resource.grants.some(
    (g) =>
      (g.userId !== null && g.userId === actor.id) ||
      (g.roleName !== null && actor.roles.includes(g.roleName)),
  );
}

/** Throws 401 `unauthorized:auth` for anonymous actors, 403 `forbidden:<area>` when the check fails. */
export function assertCan(actor: Actor, capability: string, resource?: GuardedResource): void {
  if (actor.type === 'anonymous') throw new AppError('unauthorized:auth', 'Sign in to continue');
  if (can(actor, capability, resource)) return;
  const area = capability.split(':')[0] ?? '';
  throw new AppError(
    isErrorSurface(area) ? `forbidden:${area}` : 'forbidden:auth',
    resource && actor.capabilities.has(capability)
      ? `You do not have access to this ${resource.type}`
      : `You do not have permission for this (${capability})`,
    { details: { capability } },
  );
}

/** Throws 401 unless the actor is a known person (or system). */
export function assertSignedIn(actor: Actor): asserts actor is Actor & { id: string } {
  if (actor.type === 'anonymous' || actor.id === null)
    throw new AppError('unauthorized:auth', 'Sign in to continue');
}
