/**
 * A small spec-driven request generator: from an OpenAPI 3.1 document (dereferenced), build requests whose
 * path, query and JSON body follow each operation's schemas — but mostly with invalid or edge values
 * (wrong types, out-of-range numbers, huge and odd strings, missing required fields, extra fields, bad JSON,
 * wrong content types). Multipart operations get real files from a corpus (bombs among them) most of the
 * time. Deterministic for a seed, no network, no dependency.
 */

export type Schema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  nullable?: boolean;
  default?: unknown;
  pattern?: string;
};

export interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: string; required?: boolean; schema?: Schema }[];
  body?: { contentType: string; schema: Schema; required: boolean };
}

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** JSON or other text; FormData for a multipart upload (fetch sets its content type). */
  body?: string | FormData;
}

/** A file to upload to multipart operations. */
export interface FuzzFile {
  name: string;
  bytes: Uint8Array;
}

/** mulberry32: a tiny seeded PRNG. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
  };
}
export type Rng = ReturnType<typeof rng>;

const EDGE_STRINGS = [
  '',
  ' ',
  'a',
  'x'.repeat(10_000),
  '\u0000',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '../../etc/passwd',
  '%00%2F..',
  "'; drop table users; --",
  '<script>alert(1)</script>',
  '😀👩‍👩‍👧‍👦ÅÄÖ',
  '\ud800',
  'ti\u0000tle \udfff end',
  'e\u0301\u0000\ud83d',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-4fff-bfff-ffffffffffff',
  '2026-13-45T99:99:99Z',
  '9999-12-31T23:59:59Z',
  'http://127.0.0.1:9/',
  'sk-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  '{"a":1}',
  '*',
];
const EDGE_NUMBERS = [0, -1, 1, 0.5, -0.5, 2 ** 31, 2 ** 53 + 1, -(2 ** 53), 1e308, -1e308, 1e-300];
const WRONG_TYPES: unknown[] = [
  null,
  true,
  false,
  0,
  -7,
  3.14,
  'str',
  [],
  [1, 'a', null],
  {},
  { nested: { deep: [1] } },
];

const types = (s: Schema): string[] => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : []);

function hex(r: Rng, n: number) {
  let out = '';
  for (let i = 0; i < n; i++) out += r.int(0, 15).toString(16);
  return out;
}
const uuid = (r: Rng) => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-a${hex(r, 3)}-${hex(r, 12)}`;

/** A value that satisfies the schema as far as this generator understands it. */
export function validValue(s: Schema, r: Rng, depth = 0): unknown {
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return r.pick(s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.length) return validValue(r.pick(alternatives), r, depth);
  if (s.allOf?.length) return Object.assign({}, ...s.allOf.map((x) => validValue(x, r, depth) as object));
  const t = types(s).filter((x) => x !== 'null');
  const type = t.length ? r.pick(t) : s.properties ? 'object' : 'string';
  switch (type) {
    case 'integer':
    case 'number': {
      const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 0);
      const hi = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : lo + 100);
      return r.int(Math.ceil(lo), Math.max(Math.ceil(lo), Math.floor(Math.min(hi, lo + 1000))));
    }
    case 'boolean':
      return r.chance(0.5);
    case 'array': {
      const n = r.int(s.minItems ?? 0, Math.min(s.maxItems ?? 3, (s.minItems ?? 0) + 3));
      return depth > 4 ? [] : Array.from({ length: n }, () => validValue(s.items ?? {}, r, depth + 1));
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      if (depth > 4) return out;
      for (const [k, v] of Object.entries(s.properties ?? {}))
        if (s.required?.includes(k) || r.chance(0.5)) out[k] = validValue(v, r, depth + 1);
      return out;
    }
    default: {
      if (s.format === 'uuid') return uuid(r);
      if (s.format === 'date-time') return new Date(Date.UTC(2027, r.int(0, 11), r.int(1, 28))).toISOString();
      if (s.format === 'email') return `fuzz${r.int(0, 99999)}@district.example`;
      if (s.format === 'uri' || s.format === 'url') return `http://127.0.0.1:9/${hex(r, 6)}`;
      const len = r.int(s.minLength ?? 1, Math.max(s.minLength ?? 1, Math.min(s.maxLength ?? 12, 24)));
      return hex(r, len);
    }
  }
}

/** A value that is probably wrong for the schema: edge strings and numbers, wrong types, near-misses. */
export function edgeValue(s: Schema, r: Rng): unknown {
  const roll = r.next();
  const t = types(s);
  if (roll < 0.3) return r.pick(WRONG_TYPES);
  if (roll < 0.55 && (t.includes('integer') || t.includes('number'))) {
    const near = [s.minimum, s.maximum]
      .filter((x): x is number => x !== undefined)
      .flatMap((x) => [x - 1, x + 1, x + 0.5]);
    return r.pick([...EDGE_NUMBERS, ...near]);
  }
  if (roll < 0.75 && t.includes('array'))
    return Array.from({ length: r.pick([0, 1, 50, 1001]) }, () => r.pick(EDGE_STRINGS));
  if (roll < 0.85 && s.enum?.length) return `${String(r.pick(s.enum))}x`;
  return r.pick(EDGE_STRINGS);
}

/** Mostly-invalid object for a body schema: some fields edge values, some missing, some extra. */
export function fuzzValue(s: Schema, r: Rng, depth = 0): unknown {
  if (depth > 3 || r.chance(0.35)) return r.chance(0.5) ? edgeValue(s, r) : validValue(s, r, depth);
  const t = types(s);
  if (s.properties || t.includes('object')) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      if (s.required?.includes(k) ? r.chance(0.85) : r.chance(0.5)) out[k] = fuzzValue(v, r, depth + 1);
    }
    if (r.chance(0.2)) out[`extra_${hex(r, 4)}`] = r.pick(WRONG_TYPES);
    return out;
  }
  if (t.includes('array') && s.items)
    return Array.from({ length: r.int(0, 3) }, () => fuzzValue(s.items!, r, depth + 1));
  return r.chance(0.6) ? edgeValue(s, r) : validValue(s, r, depth);
}

const scalarText = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);

/** Percent-encodes; a lone surrogate becomes the invalid UTF-8 sequence it would be (an edge case itself). */
function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

/** Every operation of a dereferenced document. */
export function operationsOf(doc: { paths: Record<string, Record<string, unknown>> }): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const op = raw as {
        parameters?: Operation['parameters'];
        requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
      };
      const [contentType, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
      out.push({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        body:
          contentType && media
            ? { contentType, schema: media.schema ?? {}, required: op.requestBody?.required ?? false }
            : undefined,
      });
    }
  }
  return out;
}

/** A multipart body with one corpus file under each file field of the schema, the other fields fuzzed. */
function multipartBody(schema: Schema, files: FuzzFile[], r: Rng): FormData {
  const form = new FormData();
  for (const [key, field] of Object.entries(schema.properties ?? { file: {} })) {
    if (field.format === 'binary' || key === 'file') {
      const file = r.pick(files);
      form.set(key, new Blob([file.bytes as Uint8Array<ArrayBuffer>]), file.name);
    } else if (r.chance(0.5)) form.set(key, scalarText(fuzzValue(field, r)));
  }
  return form;
}

/**
 * One request for an operation: each part valid-ish or mutated, with occasional transport-level damage.
 * With `files`, multipart operations mostly upload one of them.
 */
export function buildRequest(op: Operation, r: Rng, files: FuzzFile[] = []): FuzzRequest {
  let path = op.path;
  const query = new URLSearchParams();
  for (const p of op.parameters) {
    const schema = p.schema ?? {};
    const value = r.chance(0.5) ? validValue(schema, r) : edgeValue(schema, r);
    if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeSegment(scalarText(value) || 'x'));
    else if (p.in === 'query' && (p.required || r.chance(0.6))) query.set(p.name, scalarText(value));
  }
  if (r.chance(0.1)) query.set(`unknown_${hex(r, 3)}`, r.pick(EDGE_STRINGS));
  const headers: Record<string, string> = {};
  let body: string | FormData | undefined;
  if (op.body?.contentType.startsWith('multipart/form-data') && files.length && r.chance(0.7)) {
    body = multipartBody(op.body.schema, files, r);
  } else if (op.body) {
    const roll = r.next();
    if (roll < 0.05) body = undefined;
    else if (roll < 0.1) body = '{"unterminated": ';
    else if (roll < 0.13) body = JSON.stringify(r.pick(WRONG_TYPES));
    else body = JSON.stringify(fuzzValue(op.body.schema, r));
    headers['content-type'] = r.chance(0.06)
      ? r.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])
      : op.body.contentType;
  } else if (op.method !== 'GET' && r.chance(0.1)) {
    body = JSON.stringify({ unexpected: true });
    headers['content-type'] = 'application/json';
  }
  const qs = query.toString();
  return { method: op.method, url: `${path}${qs ? `?${qs}` : ''}`, headers, body };
}
