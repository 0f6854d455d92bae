/**
 * What an update changed, for its audit event, and how the admin audit page reads it back.
 * - `fieldChanges`: `{ field: { from, to } }` for each field whose value differs (compared as JSON, so arrays
 *   and dates compare by value), read as "field: before → after". Callers pass only fields that hold no secret.
 * - `listChanges`: a list's additions and removals (`{ added, removed }`), read as "field: added a, b; removed c"
 *   — for long lists (a role's capabilities) where before → after would be unreadable.
 */
export type FieldChanges = Record<string, { from: unknown; to: unknown }>;
export interface ListChange {
  added: string[];
  removed: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function fieldChanges<T extends object>(
  before: T,
  after: T,
  fields: readonly (keyof T & string)[],
): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of fields) {
    const from = before[field] ?? null;
    const to = after[field] ?? null;
    if (!same(from, to)) changes[field] = { from, to };
  }
  return changes;
}

/** What was added to and removed from a list (sorted), or null when both are empty. */
export function listChanges(before: readonly string[], after: readonly string[]): ListChange | null {
  const was = new Set(before);
  const now = new Set(after);
  const added = [...now].filter((x) => !was.has(x)).sort();
  const removed = [...was].filter((x) => !now.has(x)).sort();
  return added.length || removed.length ? { added, removed } : null;
}

const MAX_VALUE_CHARS = 160;

function short(v: unknown): string {
  const text = v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object';

/**
 * An audit event's details as lines for people: a changed field "field: before → after", a list change
 * "field: added a, b; removed c", anything else "key: value" (compact JSON).
 */
export function describeDetails(details: Record<string, unknown> | null | undefined): string[] {
  return Object.entries(details ?? {}).map(([k, v]) => {
    if (isObject(v) && 'from' in v && 'to' in v) {
      const { from, to, ...rest } = v;
      const extra = Object.keys(rest).length ? ` (${short(rest)})` : '';
      return `${k}: ${short(from)} → ${short(to)}${extra}`;
    }
    if (isObject(v) && Array.isArray(v.added) && Array.isArray(v.removed)) {
      const parts = [
        v.added.length ? `added ${v.added.join(', ')}` : '',
        v.removed.length ? `removed ${v.removed.join(', ')}` : '',
      ].filter(Boolean);
      return `${k}: ${short(parts.join('; ') || 'no change')}`;
    }
    return `${k}: ${short(v)}`;
  });
}
