/**
 * Security headers on every response. Scripts are allowed only from our origin or with the per-request
 * nonce (Remix's inline hydration scripts carry it); styles may be inline (Radix and swagger-ui set
 * style attributes). HSTS only when the public URL is https.
 */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../lib/hono-env';

export function securityHeaders(options: { https: boolean; dev: boolean }) {
  return createMiddleware<AppEnv>(async (c, next) => {
    await next();
    const nonce = c.var.nonce;
    const script = options.dev ? `'self' 'nonce-${nonce}' 'unsafe-eval'` : `'self' 'nonce-${nonce}'`;
    const connect = options.dev ? "'self' ws: wss:" : "'self'";
    c.header(
      'Content-Security-Policy',
      [
        "default-src 'self'",
        `script-src ${script}`,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        `connect-src ${connect}`,
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join('; '),
    );
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'strict-origin-when-cross-origin');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Permissions-Policy', 'camera=(), geolocation=(), payment=()');
    if (options.https) c.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  });
}
