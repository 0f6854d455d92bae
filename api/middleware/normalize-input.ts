/**
 * Text normalisation where request input enters (issue 9.2): every value a handler or a zod validator reads
 * from the request — JSON body, query, path parameters — and every query value and form field a Remix
 * loader or action reads passes `normalizeText` first (NUL stripped, lone surrogates replaced, NFC), so
 * nothing downstream can store or query a string Postgres refuses (`\u0000` in text, `\ud800` in jsonb) and
 * answer 500. Validation then sees the normalised value.
 */
import { HonoRequest } from 'hono/request';
import { normalizeDeep, normalizeText } from '../lib/text';

/** Each request's normalised JSON body, parsed once (a handler and its validator may both ask). */
const normalizedBodies = new WeakMap<HonoRequest, Promise<unknown>>();
let installed = false;

/**
 * Makes every request's readers normalising: `json`, `query`, `queries` and `param` of Hono's request class.
 * Installed once for the process, not per request: assigning four bound readers to each request object cost
 * ~8 µs of `/api/health`'s ~35 µs, more than their own work (every later read of that object slowed down;
 * ADR 019). Nothing is read until a handler or validator asks.
 */
export function installInputNormalization(): void {
  if (installed) return;
  installed = true;
  const proto = HonoRequest.prototype as unknown as Record<
    'json' | 'query' | 'queries' | 'param',
    (this: HonoRequest, key?: string) => unknown
  >;
  const { json, query, queries, param } = proto;
  Object.assign(proto, {
    json(this: HonoRequest) {
      let body = normalizedBodies.get(this);
      if (!body) {
        body = (json.call(this) as Promise<unknown>).then(normalizeDeep);
        normalizedBodies.set(this, body);
      }
      return body;
    },
    query(this: HonoRequest, key?: string) {
      return normalizeDeep(query.call(this, key));
    },
    queries(this: HonoRequest, key?: string) {
      return normalizeDeep(queries.call(this, key));
    },
    param(this: HonoRequest, key?: string) {
      return normalizeDeep(param.call(this, key));
    },
  });
}

const FORM_URLENCODED = 'application/x-www-form-urlencoded';
const MULTIPART = 'multipart/form-data';
/** Multipart forms above this size (uploads) pass as they are; their text fields are read by services. */
const MULTIPART_MAX = 1024 * 1024;

/** These parameters with every name and value normalised, or null when none changes. */
function normalizedParams(params: URLSearchParams): URLSearchParams | null {
  const clean = new URLSearchParams();
  let changed = false;
  for (const [k, v] of params) {
    const [nk, nv] = [normalizeText(k), normalizeText(v)];
    changed ||= nk !== k || nv !== v;
    clean.append(nk, nv);
  }
  return changed ? clean : null;
}

/** The request with its query normalised (loaders read it from the URL), or the request itself. */
function withNormalizedQuery(request: Request): Request {
  if (!request.url.includes('?')) return request;
  const url = new URL(request.url);
  const clean = normalizedParams(url.searchParams);
  if (!clean) return request;
  url.search = clean.toString();
  return new Request(url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: request.signal,
    duplex: 'half',
  } as RequestInit);
}

/**
 * For the Remix mount: the same request with its query and its form fields normalised (url-encoded forms,
 * and multipart forms up to 1 MB with their files kept). Other requests are returned untouched.
 */
export async function normalizeFormRequest(received: Request): Promise<Request> {
  const request = withNormalizedQuery(received);
  if (request.method === 'GET' || request.method === 'HEAD' || !request.body) return request;
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type === FORM_URLENCODED) {
    const text = await request.text();
    const clean = normalizedParams(new URLSearchParams(text));
    return new Request(request, { body: clean ? clean.toString() : text });
  }
  const length = Number(request.headers.get('content-length') ?? Number.NaN);
  if (type === MULTIPART && length <= MULTIPART_MAX) {
    const buffer = await request.arrayBuffer();
    const form = await new Response(buffer, { headers: request.headers }).formData();
    const clean = new FormData();
    let changed = false;
    for (const [k, v] of form) {
      const nk = normalizeText(k);
      const nv = typeof v === 'string' ? normalizeText(v) : v;
      changed ||= nk !== k || nv !== v;
      clean.append(nk, nv);
    }
    if (!changed) return new Request(request, { body: buffer });
    const headers = new Headers(request.headers);
    headers.delete('content-type'); // the new body brings its own boundary
    headers.delete('content-length');
    return new Request(request, { body: clean, headers });
  }
  return request;
}
