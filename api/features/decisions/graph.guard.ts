/**
 * The decision log's shared rules: who may read and write (capability and token scope), input parsing with
 * normalised text, the 422/404/409 errors, and transactions whose constraint failures become those errors.
 */
import type { z } from 'zod';
import type { Queryable } from '../../../db/client';
import { assertCan } from '../../lib/authz';
import type { Actor, Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import {
  PG_CHECK_VIOLATION,
  PG_FOREIGN_KEY_VIOLATION,
  PG_UNIQUE_VIOLATION,
  pgCode,
} from '../../lib/pg-error';
import { assertScope } from '../../lib/scopes';
import { normalizeDeep } from '../../lib/text';
import { parseInput } from '../../lib/validate';

export const DECISIONS_READ = 'decisions:read';
export const DECISIONS_WRITE = 'decisions:write';

export function assertRead(actor: Actor): void {
  assertCan(actor, DECISIONS_READ);
  assertScope(actor, 'graph:read');
}

export function assertWrite(actor: Actor): void {
  assertCan(actor, DECISIONS_WRITE);
  assertScope(actor, 'graph:write');
}

/** zod parsing like the HTTP edge (422 `validation:graph` naming each field), after normalising text. */
export const parseGraphInput = <S extends z.ZodType>(schema: S, input: unknown): z.output<S> =>
  parseInput(schema, normalizeDeep(input), 'graph');

export function invalid(fields: Record<string, string>): AppError {
  const summary = Object.entries(fields)
    .map(([k, m]) => `${k} ${m}`)
    .join('; ');
  return new AppError('validation:graph', `Invalid input: ${summary}`, { details: { fields } });
}

export const nodeNotFound = () => new AppError('not_found:graph', 'No such node');
export const edgeNotFound = () => new AppError('not_found:graph', 'No such edge');

type Tx = Parameters<Parameters<Queryable['transaction']>[0]>[0];

/**
 * Runs a write in one transaction. A constraint the service's own checks could not see coming (a node
 * deleted between the check and the insert) answers 422/409 like the check would have, never 500.
 */
export async function inTransaction<T>(ctx: Ctx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.transaction(fn);
  } catch (err) {
    const code = pgCode(err);
    if (code === PG_FOREIGN_KEY_VIOLATION)
      throw invalid({ '(input)': 'refers to a node that no longer exists' });
    if (code === PG_UNIQUE_VIOLATION)
      throw new AppError('conflict:graph', 'That edge already exists', {
        details: { fields: { type: 'already links these nodes' } },
      });
    if (code === PG_CHECK_VIOLATION) throw invalid({ '(input)': 'breaks a rule of the graph' });
    throw err;
  }
}
