/**
 * The app shell over real HTTP, without a browser: the theme form works without JavaScript, and the error
 * path — when a page cannot load (here: the database is gone) the visitor gets our 500 page inside the
 * normal layout with status 500, and the error reaches the request's logger through entry.server's
 * handleError (a 404 does not).
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../api/lib/logger';
import { signUpCookie } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

const lines: Array<Record<string, unknown>> = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
    done();
  },
});

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ web: true, log: createLogger({ level: 'info', destination: sink }) });
});
afterAll(async () => {
  await app?.close().catch(() => {});
});

const errorLogs = () => lines.filter((l) => l.msg === 'unhandled error in a loader, action or render');

describe('home page copy (issue 15.9)', () => {
  it('says what goes where: stored in the district’s database, prompts sent to the chosen provider', async () => {
    const html = (await (await app.fetch('/')).text()).replaceAll('&#x27;', "'");
    expect(html).not.toMatch(/stay on this server/i);
    expect(html).toContain('stored in your district’s own database');
    expect(html).toContain('is sent to the provider of the model you pick');
  });
});

describe('theme without JavaScript', () => {
  const post = (body: Record<string, string>) =>
    app.fetch('/resources/theme', { method: 'POST', body: new URLSearchParams(body), redirect: 'manual' });

  it('stores the theme in a cookie, redirects back, and the next page renders with it', async () => {
    const res = await post({ theme: 'dark', redirectTo: '/?tab=1' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/?tab=1');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^aistudio_theme=dark; Path=\/; Max-Age=\d+; SameSite=Lax; HttpOnly/);
    const page = await app.fetch('/', { headers: { cookie: cookie.split(';')[0]! } });
    expect(await page.text()).toMatch(/<html lang="en" data-theme="dark"/);
  });

  it('renders the system theme without a cookie', async () => {
    expect(await (await app.fetch('/')).text()).toMatch(/<html lang="en" data-theme="system"/);
  });

  it('refuses an unknown theme and never redirects off-site', async () => {
    expect((await post({ theme: 'neon' })).status).toBe(422);
    const res = await post({ theme: 'light', redirectTo: '//evil.example/x' });
    expect(res.headers.get('location')).toBe('/');
  });
});

describe('web error pages', () => {
  it('renders unknown paths as a 404 page in the layout without logging an error', async () => {
    // Signed in: anonymous visitors to non-public paths are sent to the sign-in page instead.
    const { name, value } = await signUpCookie(app);
    const res = await app.fetch('/no-such-page', {
      headers: { 'x-request-id': 'web-404', cookie: `${name}=${value}` },
    });
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('Page not found');
    expect(html).toContain('aria-label="Primary"');
    expect(errorLogs()).toEqual([]);
  });

  it('renders a 500 page in the layout and logs the cause when a loader fails', async () => {
    // Anonymous and on the public home page, so only the root loader needs the database.
    await app.database.close();
    app.services.settings.invalidate(); // the product name was cached by the first test
    const res = await app.fetch('/', { headers: { 'x-request-id': 'web-500' } });
    expect(res.status).toBe(500);
    const html = await res.text();
    expect(html).toContain('Something went wrong');
    expect(html).toContain('aria-label="Primary"');
    expect(html).toContain('href="#main"');
    await expect.poll(() => errorLogs().length).toBeGreaterThan(0);
    expect(errorLogs()[0]).toMatchObject({ requestId: 'web-500', path: '/', method: 'GET' });
  });
});
