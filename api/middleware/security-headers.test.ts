import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../lib/hono-env';
import { securityHeaders } from './security-headers';

/** A page answered with `ownCsp` as its own header, through the middleware. */
async function cspOf(ownCsp: string | null): Promise<string> {
  const app = new Hono<AppEnv>();
  app.use('*', securityHeaders({ https: false, dev: false }));
  app.get('/', (c) => {
    if (ownCsp) c.header('Content-Security-Policy', ownCsp);
    return c.html('<!doctype html><form method="post"></form>');
  });
  return (await app.request('/')).headers.get('content-security-policy') ?? '';
}

const directive = (csp: string, name: string) =>
  csp
    .split('; ')
    .find((d) => d.startsWith(`${name} `))
    ?.trim();

describe('security headers: a page widening form-action', () => {
  it("keeps form-action 'self' alone when the page asks for nothing", async () => {
    expect(directive(await cspOf(null), 'form-action')).toBe("form-action 'self'");
  });

  it('adds the origins and schemes a page names for its form redirects', async () => {
    const csp = await cspOf("form-action 'self' http://127.0.0.1:53682 com.example.app:");
    expect(directive(csp, 'form-action')).toBe("form-action 'self' http://127.0.0.1:53682 com.example.app:");
    expect(directive(csp, 'script-src')).toMatch(/^script-src 'self' 'nonce-/);
  });

  it('keeps nothing else: wildcards, keywords and other directives are dropped', async () => {
    const csp = await cspOf(
      "form-action * 'unsafe-inline' https://*.evil.example https://ok.example; script-src *",
    );
    expect(directive(csp, 'form-action')).toBe("form-action 'self' https://ok.example");
    expect(directive(csp, 'script-src')).not.toContain('*');
    expect(csp.match(/script-src/g)).toHaveLength(1);
  });
});
