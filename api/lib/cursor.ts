/**
 * Opaque keyset cursors for "newest first" lists: the last row's (createdAt, id) as base64url JSON. Keyset
 * (not offset) pagination stays correct while rows are added and costs one index range scan per page.
 */
import { z } from 'zod';
import { AppError } from './errors';

export interface CursorPosition {
  createdAt: Date;
  id: string;
}

const Payload = z.object({ t: z.iso.datetime({ offset: true }), id: z.string().min(1).max(64) });

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify({ t: position.createdAt.toISOString(), id: position.id })).toString(
    'base64url',
  );
}

const UUID = z.uuid();

/**
 * Undefined for no cursor; 422 `validation:cursor` (field `cursor`) for anything we did not issue.
 * Ids are uuids unless `id: 'int'`: a malformed id must fail here, not as a cast error in SQL.
 * Timestamps carry milliseconds while Postgres keeps microseconds: compare against
 * `date_trunc('milliseconds', created_at)` (and order by it) so a page boundary never repeats a row.
 */
export function decodeCursor(
  cursor: string | undefined | null,
  options: { id?: 'uuid' | 'int' } = {},
): CursorPosition | undefined {
  if (!cursor) return undefined;
  const data = readPayload(cursor, Payload);
  const idOk = options.id === 'int' ? /^\d{1,18}$/.test(data.id) : UUID.safeParse(data.id).success;
  if (!idOk) throw invalidCursor();
  return { createdAt: new Date(data.t), id: data.id };
}

const invalidCursor = () =>
  new AppError('validation:cursor', 'Invalid cursor', { details: { fields: { cursor: 'is not valid' } } });

/** A cursor's base64url JSON checked against its schema; 422 `validation:cursor` otherwise. */
function readPayload<S extends z.ZodType>(cursor: string, schema: S): z.output<S> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const result = schema.safeParse(parsed);
  if (!result.success) throw invalidCursor();
  return result.data;
}

/** Given `limit + 1` rows, the page and the cursor of the next one (null on the last page). */
export function pageOf<T extends { createdAt: Date; id: string | number }>(
  rows: T[],
  limit: number,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor =
    rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: String(last.id) }) : null;
  return { items, nextCursor };
}

const OffsetPayload = z.object({ o: z.number().int().min(0).max(10_000) });

/** Cursor for ranked lists (search results have no stable keyset): the offset of the next page. */
export const encodeOffsetCursor = (offset: number): string =>
  Buffer.from(JSON.stringify({ o: offset })).toString('base64url');

/** 0 for no cursor; 422 `validation:cursor` (field `cursor`) for anything we did not issue. */
export function decodeOffsetCursor(cursor: string | undefined | null): number {
  return cursor ? readPayload(cursor, OffsetPayload).o : 0;
}
