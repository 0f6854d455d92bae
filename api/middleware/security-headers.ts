/**
 * Security headers on every response. HTML pages get the full Content-Security-Policy: scripts only from
 * our origin or with the per-request nonce (Remix's inline hydration scripts carry it; `cspNonce` makes one
 * on first use, so JSON answers never pay for it), styles may be inline (Radix and swagger-ui set style
 * attributes). Anything else (JSON, files) is not a document and gets `default-src 'none'`, which forbids
 * everything should a browser ever render it. HSTS only when the public URL is https.
 * A page may widen one directive: `form-action`, when its form's POST is answered with a redirect to another
 * origin (the OAuth consent page returns to the app's redirect URI). It says so in its own
 * Content-Security-Policy header (`form-action 'self' https://app.example`); only scheme and origin sources
 * from it are kept, added to `'self'`, and the rest of the policy is ours.
 * The fixed headers go out with `sendWithResponse` (lib/response-headers.ts): never read, copied or turned
 * into a web `Headers` (~4 µs a request, ADR 019). Only a handler that may answer with a page says so
 * (`markDocument`); its HTML response gets the page CSP after it ran. A handler's own header of the same
 * name wins over these fixed ones (the knowledge file download's sandbox).
 */
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../lib/hono-env';
import { sendWithResponse, setResponseHeaders } from '../lib/response-headers';

/** The page's CSP nonce, made on first use (Remix render, or the HTML response's header). */
export function cspNonce(c: Context<AppEnv>): string {
  let nonce = c.get('nonce');
  if (!nonce) {
    nonce = randomBytes(16).toString('base64');
    c.set('nonce', nonce);
  }
  return nonce;
}

/** This request's response may be an HTML page: give it the page CSP if it is. */
export function markDocument(c: Context<AppEnv>): void {
  c.set('document', true);
}

/** A scheme (`com.example.app:`) or an origin (`https://app.example:8443`), nothing else. */
const FORM_ACTION_SOURCE = /^[a-z][a-z0-9+.-]*:(\/\/[a-z0-9.\-[\]:]+)?$/i;

/** The extra form-action sources a page's own CSP header asks for. */
function pageFormActions(pageCsp: string | null): string[] {
  if (!pageCsp) return [];
  const directive = pageCsp
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .find(([name]) => name?.toLowerCase() === 'form-action');
  return (directive ?? []).slice(1).filter((source) => FORM_ACTION_SOURCE.test(source));
}

const NOT_A_DOCUMENT_CSP = "default-src 'none'; frame-ancestors 'none'";

export function securityHeaders(options: { https: boolean; dev: boolean }) {
  const script = options.dev ? " 'unsafe-eval'" : '';
  const connect = options.dev ? "'self' ws: wss:" : "'self'";
  const pageCsp = (nonce: string, formActions: string[]) =>
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'${script}`,
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      `connect-src ${connect}`,
      "object-src 'none'",
      "base-uri 'self'",
      ["form-action 'self'", ...formActions].join(' '),
      "frame-ancestors 'none'",
    ].join('; ');
  const common: Array<[string, string]> = [
    ['X-Content-Type-Options', 'nosniff'],
    ['Referrer-Policy', 'strict-origin-when-cross-origin'],
    ['X-Frame-Options', 'DENY'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Permissions-Policy', 'camera=(), geolocation=(), payment=()'],
  ];
  if (options.https) common.push(['Strict-Transport-Security', 'max-age=31536000; includeSubDomains']);
  const notADocument: Array<[string, string]> = [['Content-Security-Policy', NOT_A_DOCUMENT_CSP], ...common];
  return createMiddleware<AppEnv>(async (c, next) => {
    await sendWithResponse(c, next, notADocument);
    if (!c.get('document') || !c.res.headers.get('content-type')?.startsWith('text/html')) return;
    setResponseHeaders(c, [
      [
        'Content-Security-Policy',
        pageCsp(cspNonce(c), pageFormActions(c.res.headers.get('content-security-policy'))),
      ],
      ...common,
    ]);
  });
}
