/**
 * Token scopes (API keys, later OAuth access tokens). A scope is what the token's owner allowed the token to
 * do; it never widens what the owner may do. Each scope needs one capability of the owner's roles, so the
 * effective scopes of a request are `granted ∩ allowed-by-owner` and follow role changes immediately.
 *
 * Services check both: `assertCan(actor, 'chat:use')` (the owner's capability — for a scoped actor the
 * capability set is already narrowed to what its scopes imply) and `assertScope(actor, 'chat')` where one
 * capability backs several scopes (chat:use backs chat, models:read and mcp:*).
 */
import { can } from './authz';
import type { Capability } from './capabilities';
import type { Actor } from './ctx';
import { AppError } from './errors';

export const SCOPE_CAPABILITY = {
  chat: 'chat:use',
  'models:read': 'chat:use',
  'assistants:read': 'assistants:use',
  'assistants:execute': 'assistants:use',
  'knowledge:read': 'knowledge:use',
  'knowledge:write': 'knowledge:manage',
  'graph:read': 'decisions:read',
  'graph:write': 'decisions:write',
  'mcp:read': 'chat:use',
  'mcp:write': 'chat:use',
} as const satisfies Record<string, Capability>;

export type Scope = keyof typeof SCOPE_CAPABILITY;
export const SCOPES = Object.keys(SCOPE_CAPABILITY) as Scope[];
export const ALL_SCOPES = '*';

export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
  chat: 'Chat completions and conversations',
  'models:read': 'List the models you may use',
  'assistants:read': 'List and read assistants',
  'assistants:execute': 'Run assistants',
  'knowledge:read': 'Search knowledge repositories',
  'knowledge:write': 'Add to and manage knowledge repositories',
  'graph:read': 'Read the decision graph',
  'graph:write': 'Write to the decision graph',
  'mcp:read': 'List MCP tools and resources',
  'mcp:write': 'Call MCP tools',
};

export const isScope = (value: string): value is Scope => Object.hasOwn(SCOPE_CAPABILITY, value);

/** Whether the owner (a user actor, before any narrowing) holds the capability behind a scope. */
const ownerAllows = (owner: Actor, scope: Scope): boolean => can(owner, SCOPE_CAPABILITY[scope]);

/** Granted scopes (`*` expanded) narrowed to what the owner may do right now. */
export function effectiveScopes(granted: readonly string[], owner: Actor): Set<Scope> {
  const wanted = granted.includes(ALL_SCOPES) ? SCOPES : granted.filter(isScope);
  return new Set(wanted.filter((s) => ownerAllows(owner, s)));
}

/** Scopes a user may put on a new key (those their roles back). */
export const grantableScopes = (owner: Actor): Scope[] => SCOPES.filter((s) => ownerAllows(owner, s));

/**
 * The actor for a scoped token: the owner's identity and roles, with capabilities narrowed to those its
 * effective scopes imply (so admin:* and api:keys are never reachable with a token, whatever the owner).
 */
export function scopedActor(owner: Actor, granted: readonly string[], extra: Partial<Actor>): Actor {
  const scopes = effectiveScopes(granted, owner);
  const capabilities = new Set<string>([...scopes].map((s) => SCOPE_CAPABILITY[s]));
  return { ...owner, ...extra, capabilities, scopes };
}

export const hasScope = (actor: Actor, scope: Scope): boolean =>
  actor.scopes === null || actor.scopes.has(scope);

/** 403 `forbidden:scope` when a scoped actor lacks the scope; no-op for sessions and the system. */
export function assertScope(actor: Actor, scope: Scope): void {
  if (actor.type === 'anonymous') throw new AppError('unauthorized:auth', 'Sign in to continue');
  if (hasScope(actor, scope)) return;
  throw new AppError('forbidden:scope', `This token lacks the "${scope}" scope`, {
    details: { requiredScope: scope, grantedScopes: [...(actor.scopes ?? [])].sort() },
  });
}
