/**
 * Route guards for routers: `middleware: [requireCapability('admin:users')]` in a createRoute config runs
 * before body validation, so an unauthorised caller gets 401/403, never a 422 that reveals the schema.
 * Services check again with assertCan; this makes the check visible per route (the authorization walk test
 * enforces it).
 */

import { createMiddleware } from 'hono/factory';
import { assertCan, assertSignedIn } from '../lib/authz';
import type { Capability } from '../lib/capabilities';
import type { AppEnv } from '../lib/hono-env';

export const requireUser = () =>
  createMiddleware<AppEnv>((c, next) => {
    assertSignedIn(c.get('ctx').actor);
    return next();
  });

export const requireCapability = (capability: Capability) =>
  createMiddleware<AppEnv>((c, next) => {
    assertCan(c.get('ctx').actor, capability);
    return next();
  });
