/**
 * Logo and accent colour (issue 15.6) over HTTP: the admin uploads a logo (type sniffed from the content,
 * size and pixel bounds, stored under DATA_DIR/uploads), anyone fetches it from a stable URL with nosniff and
 * cache headers, it replaces the default mark on every page (sign-in included) and can be removed; the
 * accent colour is a validated hex refused when too light, served as a stylesheet of our origin (the page's
 * CSP is unchanged). Both changes are audited as settings, before → after; refusals name the field.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MARK_SVG } from '../../api/features/branding/default-mark';
import { DEFAULT_FAVICON } from '../../web/lib/favicon';
import { makeImage } from '../helpers/documents';
import { usersForEachRole } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let admin = '';
let staff = '';

beforeAll(async () => {
  app = await startTestApp({ web: true });
  const { cookies } = await usersForEachRole(app);
  admin = cookies.administrator;
  staff = cookies.staff;
});
afterAll(async () => {
  await app?.close();
});

function uploadLogo(bytes: Uint8Array, who = admin, name = 'logo.png') {
  const form = new FormData();
  form.set('logo', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/png' }), name);
  return app.fetch('/api/admin/branding/logo', { method: 'PUT', body: form, headers: { cookie: who } });
}
const setAccent = (accentColor: string | null, who = admin) =>
  app.fetch('/api/admin/branding', {
    method: 'PATCH',
    body: JSON.stringify({ accentColor }),
    headers: { cookie: who, 'content-type': 'application/json' },
  });
/** The page's tab icons (`<link rel="icon" …>`), as rendered. */
const iconLinks = (html: string) => html.match(/<link rel="icon"[^>]*>/g) ?? [];
const settingEvents = async (key: string) =>
  (await app.services.audit.list(app.services.systemCtx(), { limit: 200 }))
    .filter((e) => e.targetId === key)
    .reverse()
    .map((e) => e.details);

/** GET /favicon.ico as a browser asks for it on a document that is not a page: no cookie, no redirect. */
async function faviconIco(headers: Record<string, string> = {}) {
  const res = await app.fetch('/favicon.ico', { redirect: 'manual', headers });
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

describe('logo', () => {
  let url = '';
  let png: Uint8Array;

  it('answers /favicon.ico with the default mark while no logo is set', async () => {
    const { res, bytes } = await faviconIco();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(new TextDecoder().decode(bytes)).toBe(DEFAULT_MARK_SVG);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it('stores an uploaded PNG and serves it from a versioned URL, cached, with nosniff and an ETag', async () => {
    png = await makeImage('png', 240, 80);
    const res = await uploadLogo(png);
    expect(res.status).toBe(200);
    const view = await res.json();
    expect(view.logo).toMatchObject({
      mediaType: 'image/png',
      width: 240,
      height: 80,
      bytes: png.byteLength,
    });
    url = view.logo.url;
    expect(url).toMatch(/^\/api\/branding\/logo\?v=[0-9a-f]{16}$/);
    const version = url.split('v=')[1]!;
    expect(
      existsSync(path.join(app.services.config.DATA_DIR, 'uploads', 'branding', `logo-${version}.png`)),
    ).toBe(true);
    // Public (the sign-in page shows it): no cookie.
    const file = await app.fetch(url);
    expect(file.status).toBe(200);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(png);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(file.headers.get('etag')).toBe(`"${version}"`);
    expect(file.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    // The stable URL answers the current logo, re-checked after five minutes; a known ETag gets 304.
    const stable = await app.fetch('/api/branding/logo');
    expect(stable.headers.get('cache-control')).toBe('public, max-age=300');
    expect(
      (await app.fetch('/api/branding/logo', { headers: { 'if-none-match': `"${version}"` } })).status,
    ).toBe(304);
  });

  it('shows the logo instead of the default mark on every page, the sign-in page included', async () => {
    const html = await (await app.fetch('/auth/signin')).text();
    expect(html).toContain(`<img src="${url.replace('&', '&amp;')}" alt=""`);
  });

  it('is the browser tab icon too, at its versioned URL with its type, under the unchanged page CSP', async () => {
    const pages: Array<[string, string]> = [
      ['/auth/signin', ''],
      ['/admin/settings', admin],
    ];
    for (const [pathname, cookie] of pages) {
      const page = await app.fetch(pathname, { headers: cookie ? { cookie } : {} });
      expect(page.status).toBe(200);
      expect(iconLinks(await page.text())).toEqual([`<link rel="icon" href="${url}" type="image/png"/>`]);
      // Our own origin, which the page CSP already allows for images: nothing was widened.
      expect(page.headers.get('content-security-policy')).toContain("img-src 'self' data: blob:;");
    }
    // Documents that are not pages: /favicon.ico is the logo too, re-checked after five minutes (ETag).
    const { res, bytes } = await faviconIco();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(bytes).toEqual(png);
    const version = url.split('v=')[1]!;
    expect(res.headers.get('etag')).toBe(`"${version}"`);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect((await faviconIco({ 'if-none-match': `"${version}"` })).res.status).toBe(304);
  });

  it('refuses SVG, other types, oversized and out-of-bounds files with a 4xx naming the logo field', async () => {
    const svg = new TextEncoder().encode(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
    const cases: Array<[Uint8Array, number, RegExp]> = [
      [svg, 415, /SVG image \(not accepted: SVG can carry scripts\)/],
      [new TextEncoder().encode('%PDF-1.4 not a logo'), 415, /PNG, JPEG or WebP/],
      [new Uint8Array(600 * 1024).fill(1), 413, /at most 512 KB/],
      [await makeImage('png', 3000, 20), 422, /each side must be 16 to 2048 pixels/],
    ];
    for (const [bytes, status, message] of cases) {
      const res = await uploadLogo(bytes, admin, 'logo.svg');
      expect(res.status).toBe(status);
      const body = await res.json();
      expect(body.error.details.fields.logo).toMatch(message);
    }
    const none = await app.fetch('/api/admin/branding/logo', {
      method: 'PUT',
      body: new FormData(),
      headers: { cookie: admin },
    });
    expect(none.status).toBe(422);
    expect((await none.json()).error.details.fields).toHaveProperty('logo');
    // The logo in use did not change.
    expect((await app.services.branding.view(app.services.systemCtx())).logo?.url).toBe(url);
  });

  it('is changed by administrators only', async () => {
    expect((await uploadLogo(png, staff)).status).toBe(403);
    expect(
      (await app.fetch('/api/admin/branding/logo', { method: 'DELETE', headers: { cookie: staff } })).status,
    ).toBe(403);
  });

  it('replaces the previous file on a new upload, and removal brings the default mark back', async () => {
    const first = path.join(
      app.services.config.DATA_DIR,
      'uploads',
      'branding',
      `logo-${url.split('v=')[1]}.png`,
    );
    const res = await uploadLogo(await makeImage('webp', 120, 120));
    const second = (await res.json()).logo;
    expect(second).toMatchObject({ mediaType: 'image/webp', width: 120, height: 120 });
    expect(existsSync(first)).toBe(false);
    // A new logo is a new icon URL (the old one was cached for a year), with the new type.
    expect(second.url).not.toBe(url);
    expect(iconLinks(await (await app.fetch('/auth/signin')).text())).toEqual([
      `<link rel="icon" href="${second.url}" type="image/webp"/>`,
    ]);
    const removed = await app.fetch('/api/admin/branding/logo', {
      method: 'DELETE',
      headers: { cookie: admin },
    });
    expect((await removed.json()).logo).toBeNull();
    expect((await app.fetch('/api/branding/logo')).status).toBe(404);
    const html = await (await app.fetch('/auth/signin')).text();
    expect(html).not.toContain('/api/branding/logo');
    // The tab icon is the default mark again (inline, no request).
    expect(iconLinks(html)).toEqual([
      `<link rel="icon" href="${DEFAULT_FAVICON.href}" type="image/svg+xml"/>`,
    ]);
    const ico = await faviconIco();
    expect(ico.res.headers.get('content-type')).toBe('image/svg+xml');
    expect(new TextDecoder().decode(ico.bytes)).toBe(DEFAULT_MARK_SVG);
    // Audited as the setting branding.logo: none → the first → the second → none.
    const events = await settingEvents('branding.logo');
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({
      'branding.logo': { from: null, to: expect.stringContaining('"type":"image/png"') },
    });
    expect(events[2]).toMatchObject({
      'branding.logo': { from: expect.stringContaining('image/webp'), to: null },
    });
  });
});

describe('accent colour', () => {
  it('sets a valid hex colour, served as a stylesheet linked from every page; the CSP is unchanged', async () => {
    const before = await app.fetch('/auth/signin');
    const res = await setAccent('#0F766E');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      accentColor: '#0f766e',
      themeCssUrl: '/api/branding/theme.css?v=0f766e',
    });
    const css = await app.fetch('/api/branding/theme.css?v=0f766e');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await css.text()).toContain('--primary: #0f766e;');
    const page = await app.fetch('/auth/signin');
    const html = await page.text();
    expect(html).toContain('<link rel="stylesheet" href="/api/branding/theme.css?v=0f766e"/>');
    expect(html).not.toMatch(/<style[\s>]/);
    const policy = (r: Response) => r.headers.get('content-security-policy')!.replace(/'nonce-[^']+'/, 'N');
    expect(policy(page)).toBe(policy(before));
  });

  it('refuses what is not a hex colour, and a colour too light for white text, naming accentColor', async () => {
    const notHex = await setAccent('teal');
    expect(notHex.status).toBe(422);
    expect((await notHex.json()).error.details.fields.accentColor).toBe(
      'must be a hex colour such as #0f766e',
    );
    const light = await setAccent('#facc15');
    expect(light.status).toBe(422);
    expect((await light.json()).error.details.fields.accentColor).toMatch(
      /^is too light: white text on #facc15 .* reach only 1\.\d:1 contrast; WCAG AA needs at least 4\.5:1/,
    );
    // The CLI path (settings:set) obeys the same rule, naming its value field.
    await expect(
      app.services.settings.set(app.services.systemCtx(), { key: 'branding.accent_color', value: '#ffffff' }),
    ).rejects.toMatchObject({
      status: 422,
      details: { fields: { value: expect.stringMatching(/too light/) } },
    });
    expect((await app.services.branding.view(app.services.systemCtx())).accentColor).toBe('#0f766e');
  });

  it('goes back to the default with null; each change is audited before → after', async () => {
    expect((await setAccent(null)).status).toBe(200);
    expect(await (await app.fetch('/auth/signin')).text()).not.toContain('theme.css');
    expect(await settingEvents('branding.accent_color')).toEqual([
      { 'branding.accent_color': { from: null, to: '#0f766e' } },
      { 'branding.accent_color': { from: '#0f766e', to: null } },
    ]);
    expect((await setAccent('#0f766e', staff)).status).toBe(403);
  });
});
