/**
 * Issue 9.3 and 9.10 in a browser: signing in from `/auth/signin?next=/.//evil.example/phish` lands on our
 * own origin (the probe's open redirect), and /admin/audit hydrates without React errors (#418/#423/#425:
 * dates rendered differently on server and client).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserSkipReason,
  launchBrowser,
  recordPage,
  type TestBrowser,
  waitForHydration,
} from '../helpers/browser';
import { startTestApp, type TestApp } from '../helpers/test-app';

if (browserSkipReason) console.warn(browserSkipReason);

const ADMIN = { email: 'grace@lakeside.example', password: 'Harbor-lights-and-42-cranes' };

describe.skipIf(browserSkipReason !== null)('security edges in a browser', () => {
  let app: TestApp;
  let browser: TestBrowser;

  beforeAll(async () => {
    app = await startTestApp({ web: true });
    // Far from the server's UTC and in another language: server and browser must still render alike.
    browser = await launchBrowser({ timezoneId: 'Pacific/Auckland', locale: 'de-DE' });
    const ctx = app.services.systemCtx();
    await app.services.auth.signUp(ctx, { ...ADMIN, name: 'Grace Hopper' });
    // Audit events at times whose local and UTC renderings differ, and a failed sign-in.
    await app.services.auth.signIn(ctx, { email: ADMIN.email, password: 'not it at all' }).catch(() => null);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('signs in from a next of /.//evil.example/phish and stays on our origin', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/auth/signin?next=${encodeURIComponent('/.//evil.example/phish')}`);
    await waitForHydration(page);
    await page.getByLabel('E-mail').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/auth/'));
    expect(new URL(page.url()).origin).toBe(app.url);
    expect(new URL(page.url()).pathname).toBe('/chat');
    await page.close();
  });

  it('loads /admin/audit without console or hydration errors', async () => {
    const page = await browser.newPage();
    const record = recordPage(page);
    await page.goto(`${app.url}/admin/audit`);
    await waitForHydration(page);
    await page
      .getByRole('cell', { name: /auth\.signin_failed/ })
      .first()
      .waitFor();
    expect(record.consoleErrors).toEqual([]);
    await page.close();
  });
});
