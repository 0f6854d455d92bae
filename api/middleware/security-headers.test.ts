import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../lib/hono-env';
import { markDocument, securityHeaders } from './security-headers';

/** A page answered with `ownCsp` as its own header, through the middleware. */
async function cspOf(ownCsp: string | null): Promise<string> {
  const app = new Hono<AppEnv>();
  app.use('*', securityHeaders({ https: false, dev: false }));
  app.get('/', (c) => {
    if (ownCsp) c.header('Content-Security-Policy', ownCsp);
    markDocument(c);
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

/** One app answered in process (`app.request`) and by @hono/node-server over HTTP: both paths must agree. */
function headersApp() {
  const app = new Hono<AppEnv>();
  app.use('*', securityHeaders({ https: false, dev: false }));
  app.get('/json', (c) => c.json({ ok: true }));
  app.get('/page', (c) => {
    markDocument(c);
    return c.html('<!doctype html><p>page</p>');
  });
  app.get('/unmarked-html', (c) => c.html('<!doctype html><p>not ours to run</p>'));
  app.get('/page-as-json', (c) => {
    markDocument(c); // may answer with a page, answered with data (Remix's ?_data requests)
    return c.json({ ok: true });
  });
  app.get('/own', (c) =>
    c.body('x', 200, {
      'content-security-policy': "default-src 'none'; sandbox",
      'x-frame-options': 'SAMEORIGIN',
    }),
  );
  app.get('/stream', () => new Response(new ReadableStream({ start: (ctl) => ctl.close() })));
  return app;
}

describe.each(['app.request', 'node server'] as const)('security headers through %s', (via) => {
  const app = headersApp();
  let server: ReturnType<typeof serve> | null = null;
  let base = '';
  beforeAll(async () => {
    if (via === 'app.request') return;
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server!.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));
  const get = (path: string) => (via === 'app.request' ? app.request(path) : fetch(`${base}${path}`));

  it.each(['/json', '/unmarked-html', '/page-as-json', '/stream'])(
    'gives %s the policy of something that is not a page, and the fixed headers',
    async (path) => {
      const res = await get(path);
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('permissions-policy')).toBe('camera=(), geolocation=(), payment=()');
      await res.arrayBuffer();
    },
  );

  it('gives a page that said it may be one the page policy with a nonce', async () => {
    const res = await get('/page');
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(await res.text()).toContain('page');
  });

  it("keeps a handler's own header of the same name", async () => {
    const res = await get('/own');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    await res.arrayBuffer();
  });
});
