/**
 * The one UUID check. Ids from URLs, forms and request bodies are checked before they reach a `uuid` column,
 * so a malformed id is "not found" (or a 4xx), never a Postgres cast error answered as 500.
 */
export const UUID_SOURCE = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
export const UUID_PATTERN = new RegExp(`^${UUID_SOURCE}$`, 'i');

export const isUuid = (value: unknown): value is string =>
  typeof value === 'string' && UUID_PATTERN.test(value);
