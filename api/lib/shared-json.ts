/**
 * JSON for a value many responses share — a frozen cached answer such as the conversation list's first
 * page — serialized once per value instead of once per response (ADR 019). A value that is not frozen can
 * change between responses, so it is serialized every time, as `c.json` does.
 */
import type { Context } from 'hono';
import { DerivedFrom } from './derived';

const bodies = new DerivedFrom<object, string>();

export function jsonOnce(value: object): string {
  return Object.isFrozen(value) ? bodies.get(value, () => JSON.stringify(value)) : JSON.stringify(value);
}

/**
 * `c.json(value, 200)` with its body from `jsonOnce`: the same status and Content-Type. Typed routes take it
 * `as never` (the value is already the route's schema type).
 */
export const sharedJson = (c: Context, value: object): Response =>
  c.body(jsonOnce(value), 200, { 'Content-Type': 'application/json' });
