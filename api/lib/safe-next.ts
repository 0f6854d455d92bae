/**
 * The one redirect-target check (issue 9.3): where to send someone after signing in, signing up or an SSO
 * round trip. Only a path on our own origin passes; anything else gives the fallback. Pure, no state, so
 * both the API (SSO) and the Remix routes import this same module.
 *
 * The answer is judged by what a browser does with it as a `Location`: it must resolve to our origin from
 * any base, start with exactly one `/`, and not turn into a host once a proxy or app decodes it once more
 * (`/%2f%2fevil`, `/%5cevil`). Control characters anywhere refuse the value: the URL parser drops tabs and
 * newlines, which would make `/\t/evil.example` into `//evil.example`.
 */

const MAX_NEXT = 1024;
const BASES = ['http://a.invalid', 'https://b.invalid:8443'];
/** Pages a `next` must not lead back to (a loop, or signing out right after signing in). */
const AUTH_PAGES = new Set(['/auth/signin', '/auth/signup', '/auth/signout']);

function decodeOnce(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const hasControl = (s: string) => /[\p{Cc}\p{Cf}\u2028\u2029]/u.test(s);
/** A leading run of slashes or backslashes, also the look-alikes some software folds to `/`. */
const HOST_START = /^[/\\\u2215\u2044\uFF0F\uFF3C\u29F5\u29F8]{2}/;

export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.length > MAX_NEXT) return fallback;
  if (hasControl(next) || next.includes('\\') || HOST_START.test(next)) return fallback;
  let out: string;
  try {
    const url = new URL(next, BASES[0]);
    if (url.origin !== BASES[0]) return fallback;
    out = `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
  const decoded = decodeOnce(out.split(/[?#]/)[0]!);
  if (HOST_START.test(out) || HOST_START.test(decoded) || decoded.includes('\\') || hasControl(decoded))
    return fallback;
  // What a browser resolving the Location does, from two unrelated bases: it must stay on each.
  for (const base of BASES) if (new URL(out, base).origin !== new URL(base).origin) return fallback;
  if (AUTH_PAGES.has(new URL(out, BASES[0]).pathname.replace(/\/+$/, ''))) return fallback;
  return out;
}
