/**
 * The knowledge service's gates: reading needs knowledge:use (+ scope knowledge:read for tokens), changing
 * needs knowledge:manage (+ knowledge:write) and a signed-in person. Access to one repository is SQL
 * (knowledge.access.ts); these run before any query.
 */
import { assertCan, assertSignedIn } from '../../lib/authz';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import { assertScope } from '../../lib/scopes';

export const USE = 'knowledge:use';
export const MANAGE = 'knowledge:manage';

export const notFound = () => new AppError('not_found:knowledge', 'No such repository');
export const itemNotFound = () => new AppError('not_found:knowledge', 'No such item');

export function readCheck(ctx: Ctx): void {
  assertCan(ctx.actor, USE);
  assertScope(ctx.actor, 'knowledge:read');
}

export function writeCheck(ctx: Ctx): void {
  assertCan(ctx.actor, MANAGE);
  assertScope(ctx.actor, 'knowledge:write');
  assertSignedIn(ctx.actor);
}
