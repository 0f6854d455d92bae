/**
 * The context every service call receives, built once per entry point (HTTP request, Remix load context,
 * MCP call, job, CLI command). Services never see Hono or Remix objects.
 */
import type { Database, Queryable } from '../../db/client';
import { type Logger, lazyChild } from './logger';

export type ActorType = 'anonymous' | 'user' | 'api_key' | 'oauth' | 'system' | 'cli';

export interface Actor {
  type: ActorType;
  /** users.id for people (and their keys/tokens); null for anonymous/system. */
  id: string | null;
  /** Human-readable label for audit and logs (never an e-mail in clear in logs: the logger masks it). */
  label: string;
  roles: string[];
  capabilities: ReadonlySet<string>;
  /** Token scopes when the actor came through an API key or OAuth token; null = not scope-limited. */
  scopes: ReadonlySet<string> | null;
  sessionId?: string;
  apiKeyId?: string;
}

export interface Ctx {
  db: Queryable;
  actor: Actor;
  requestId: string;
  log: Logger;
  ip: string | null;
}

export const anonymousActor: Actor = Object.freeze({
  type: 'anonymous',
  id: null,
  label: 'anonymous',
  roles: [],
  capabilities: new Set<string>(),
  scopes: null,
});

/** The all-powerful actor for jobs and the admin CLI (operators with shell access are trusted). */
export function systemActor(type: 'system' | 'cli' = 'system'): Actor {
  return {
    type,
    id: null,
    label: type,
    roles: ['administrator'],
    capabilities: new Set(['*']),
    scopes: null,
  };
}

export function createCtx(input: {
  db: Database;
  log: Logger;
  actor?: Actor;
  requestId?: string;
  ip?: string | null;
}): Ctx {
  const ctx: Ctx = {
    db: input.db,
    log: input.log,
    actor: anonymousActor,
    requestId: input.requestId ?? crypto.randomUUID(),
    ip: input.ip ?? null,
  };
  return input.actor ? withActor(ctx, input.actor) : ctx;
}

/** The same context acting as `actor`; its logger carries the actor's id on every line. */
export function withActor(ctx: Ctx, actor: Actor): Ctx {
  return { ...ctx, actor, log: actor.id ? lazyChild(ctx.log, { actorId: actor.id }) : ctx.log };
}

/** The actor for a signed-in person: their role names and the union of those roles' capabilities. */
export function userActor(input: {
  user: { id: string; email: string; name: string };
  roles: string[];
  capabilities: Iterable<string>;
  sessionId?: string;
  type?: 'user' | 'api_key' | 'oauth';
  scopes?: ReadonlySet<string> | null;
}): Actor {
  return {
    type: input.type ?? 'user',
    id: input.user.id,
    label: input.user.name || input.user.email,
    roles: [...input.roles].sort(),
    capabilities: new Set(input.capabilities),
    scopes: input.scopes ?? null,
    sessionId: input.sessionId,
  };
}
