import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ web: true });
});
afterAll(() => app?.close());

describe('HTTP foundation', () => {
  it('answers liveness and readiness', async () => {
    const health = await app.fetch('/api/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const ready = await app.fetch('/api/ready');
    expect(await ready.json()).toEqual({
      ready: true,
      checks: { database: true, migrations: true, queue: true },
      pendingMigrations: [],
    });
  });

  it('answers unknown API paths with a JSON 404 carrying the request id', async () => {
    const res = await app.fetch('/api/nope', { headers: { 'x-request-id': 'req-abc.123' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('x-request-id')).toBe('req-abc.123');
    expect(await res.json()).toEqual({
      error: { code: 'not_found:route', message: 'No API route GET /api/nope' },
      requestId: 'req-abc.123',
    });
  });

  it('replaces an unsafe incoming request id with a generated one', async () => {
    const res = await app.fetch('/api/health', { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ['/api/health', 'json'],
    ['/', 'page'],
    ['/api/nope', 'json'],
    ['/no-such-page', 'page'],
    ['/api/docs', 'page'],
  ] as const)('sends security headers and a request id on %s (%s)', async (path, kind) => {
    const res = await app.fetch(path);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    if (kind === 'page') {
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    } else expect(csp).toBe("default-src 'none'; frame-ancestors 'none'"); // not a document: nothing runs
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(res.headers.get('strict-transport-security')).toBeNull(); // http in tests
  });

  it('puts the CSP nonce on every inline script of a page', async () => {
    const res = await app.fetch('/');
    expect(res.status).toBe(200);
    const nonce = /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1];
    const html = await res.text();
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
    expect(inline.length).toBeGreaterThan(0);
    for (const [, attrs] of inline) expect(attrs).toContain(`nonce="${nonce}"`);
  });

  it('serves hashed assets with immutable caching', async () => {
    const html = await (await app.fetch('/')).text();
    const asset = /\/assets\/[^"]+\.(?:js|css)/.exec(html)?.[0];
    expect(asset).toBeTruthy();
    const res = await app.fetch(asset!);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('publishes a valid OpenAPI 3.1 document with security schemes', async () => {
    const doc = await (await app.fetch('/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.components.securitySchemes)).toEqual(
      expect.arrayContaining(['session', 'apiKey']),
    );
    expect(doc.paths['/api/health']).toBeDefined();
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy();
  });

  it('serves the API reference UI and its assets from this server', async () => {
    const page = await (await app.fetch('/api/docs')).text();
    const srcs = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(srcs.length).toBeGreaterThanOrEqual(3);
    for (const src of srcs) {
      expect(src.startsWith('/api/docs/')).toBe(true);
      expect((await app.fetch(src)).status).toBe(200);
    }
  });

  it('refuses oversized bodies with 413 JSON', async () => {
    const big = 'x'.repeat(app.services.config.BODY_LIMIT_MB * 1024 * 1024 + 10);
    const res = await app.fetch('/api/health', {
      method: 'POST',
      body: big,
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large:request');
  });
});
