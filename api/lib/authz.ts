/**
 * The one permission check every service uses (REST, Remix, MCP and jobs alike).
 * Administrators and holders of '*' always pass. Otherwise the capability must be held, and when the
 * resource carries grants, the actor's user id or one of its roles must be among them (no grants = open
 * to everyone with the capability).
 */
import { ADMIN_CAPABILITIES, CAPABILITIES, type Capability } from './capabilities';
import type { Actor } from './ctx';
import { AppError, isErrorSurface } from './errors';

export type { Capability };

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

export function can(actor: Actor, capability: Capability, resource?: GuardedResource): boolean {
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
export function assertCan(actor: Actor, capability: Capability, resource?: GuardedResource): void {
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

/** Whether any one of the capabilities passes `can` (e.g. any admin:* opens the admin console). */
export const canAny = (actor: Actor, capabilities: readonly Capability[]): boolean =>
  capabilities.some((c) => can(actor, c));

/** 403 unless one of the capabilities passes; the error names the first. */
export function assertCanAny(actor: Actor, capabilities: readonly [Capability, ...Capability[]]): void {
  if (!canAny(actor, capabilities)) assertCan(actor, capabilities[0]);
}

/**
 * Every capability that passes `can` for this actor, administrators and '*' expanded: what the UI receives
 * to decide what to show, so the browser never re-implements the administrator rule.
 */
export const effectiveCapabilities = (actor: Actor): Capability[] =>
  CAPABILITIES.filter((c) => can(actor, c));

/** Jobs and the operator's CLI: trusted callers without a person behind them. */
export const isSystem = (actor: Actor): boolean => actor.type === 'system' || actor.type === 'cli';

/** 403 unless the actor is the system or may open some part of the admin console. */
export function assertSystemOrAdmin(actor: Actor): void {
  if (!isSystem(actor)) assertCanAny(actor, ADMIN_CAPABILITIES as [Capability, ...Capability[]]);
}
