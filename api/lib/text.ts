/**
 * Text from outside is normalised once before it is stored: well-formed UTF-16 (a lone surrogate becomes
 * U+FFFD), NFC, and no control characters except tab and newline. Postgres rejects NUL in text and jsonb, so
 * without this a stray `\u0000` would surface as a 500.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function normalizeText(value: string): string {
  return value
    .replace(LONE_SURROGATE, '\uFFFD')
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, '');
}

/** Every string (and object key) of a JSON-like value normalised; other values unchanged. */
export function normalizeDeep<T>(value: T): T {
  if (typeof value === 'string') return normalizeText(value) as T;
  if (Array.isArray(value)) return value.map((v) => normalizeDeep(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [normalizeText(k), normalizeDeep(v)]),
    ) as T;
  return value;
}
