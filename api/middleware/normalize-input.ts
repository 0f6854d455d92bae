/**
 * Text normalisation where request input enters (issue 9.2): every value a handler or a zod validator reads
 * from the request — JSON body, query, path parameters — and every Remix form field passes `normalizeText`
 * first (NUL stripped, lone surrogates replaced, NFC), so nothing downstream can store a string Postgres
 * refuses (`\u0000` in text, `\ud800` in jsonb) and answer 500. Validation then sees the normalised value.
 */
import type { HonoRequest } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../lib/hono-env';
import { normalizeDeep, normalizeText } from '../lib/text';

/** Installs the normalising readers on this request (cheap: nothing is read until a handler asks). */
function normalizeReaders(req: HonoRequest): void {
  const json = req.json.bind(req);
  const query = req.query.bind(req) as (key?: string) => unknown;
  const queries = req.queries.bind(req) as (key?: string) => unknown;
  const param = req.param.bind(req) as (key?: string) => unknown;
  let body: Promise<unknown> | undefined;
  Object.assign(req, {
    json: () => {
      body ??= json().then(normalizeDeep);
      return body;
    },
    query: (key?: string) => normalizeDeep(query(key)),
    queries: (key?: string) => normalizeDeep(queries(key)),
    param: (key?: string) => normalizeDeep(param(key)),
  });
}

export const normalizeInput = createMiddleware<AppEnv>(async (c, next) => {
  normalizeReaders(c.req);
  return next();
});

const FORM_URLENCODED = 'application/x-www-form-urlencoded';
const MULTIPART = 'multipart/form-data';
/** Multipart forms above this size (uploads) pass as they are; their text fields are read by services. */
const MULTIPART_MAX = 1024 * 1024;

/**
 * For the Remix mount: the same request with its form fields normalised (url-encoded forms, and multipart
 * forms up to 1 MB with their files kept). Other requests are returned untouched.
 */
export async function normalizeFormRequest(request: Request): Promise<Request> {
  if (request.method === 'GET' || request.method === 'HEAD' || !request.body) return request;
  const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type === FORM_URLENCODED) {
    const text = await request.text();
    const params = new URLSearchParams(text);
    const clean = new URLSearchParams();
    let changed = false;
    for (const [k, v] of params) {
      const [nk, nv] = [normalizeText(k), normalizeText(v)];
      changed ||= nk !== k || nv !== v;
      clean.append(nk, nv);
    }
    return new Request(request, { body: changed ? clean.toString() : text });
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
