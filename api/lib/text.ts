/**
 * The one text normaliser for everything a person or a model sends that we store: strips NUL (Postgres text
 * cannot hold U+0000), replaces unpaired UTF-16 surrogates with U+FFFD (they cannot be encoded as UTF-8), and
 * composes to NFC so equal-looking strings compare and index equal. Pure; importable by api/ and web/.
 */

/** Anything outside printable ASCII, tab, LF and CR takes the slow path (NUL included). */
const NEEDS_WORK = /[^ -~\t\n\r]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function normalizeText(value: string): string {
  if (!NEEDS_WORK.test(value)) return value; // plain ASCII without NUL: the common case, untouched
  return value.replaceAll('\0', '').replace(LONE_SURROGATE, '\uFFFD').normalize('NFC');
}

/** Normalises every string inside a JSON-like value (arrays and plain objects, keys too); other values pass. */
export function normalizeDeep<T>(value: T): T {
  if (typeof value === 'string') return normalizeText(value) as T;
  if (Array.isArray(value)) return value.map((v) => normalizeDeep(v)) as T;
  // Plain objects, and prototype-less ones (Hono's `queries()`, which its query validator reads).
  const proto = value !== null && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (proto === Object.prototype || proto === null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as object)) out[normalizeText(k)] = normalizeDeep(v);
    return out as T;
  }
  return value;
}

/**
 * For text arriving in chunks (a model's stream): holds back a trailing high surrogate until the next chunk
 * shows whether its pair follows, so a pair split across chunks is kept, not replaced. NFC is not applied per
 * chunk (a combining mark may start the next chunk); normalise the assembled text before storing it.
 */
export function createChunkNormalizer(): { push(chunk: string): string; flush(): string } {
  let pending = '';
  return {
    push(chunk) {
      let text = pending + chunk;
      pending = '';
      const last = text.charCodeAt(text.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        pending = text.slice(-1);
        text = text.slice(0, -1);
      }
      return text.replaceAll('\0', '').replace(LONE_SURROGATE, '\uFFFD');
    },
    flush() {
      const rest = pending ? '\uFFFD' : '';
      pending = '';
      return rest;
    },
  };
}
