/**
 * What an update changed, for its audit event: `{ field: { from, to } }` for each field whose value
 * differs (compared as JSON, so arrays and dates compare by value). The admin audit page shows each as
 * "field: before → after". Callers pass only fields that hold no secret.
 */
export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

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
