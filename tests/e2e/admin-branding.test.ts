/**
 * Logo and accent colour in a browser (issue 15.6): the administrator uploads a logo and sets an accent
 * colour in Admin → Settings → Branding and sees both — the logo in the header instead of the default mark
 * (on the sign-in page too, signed out), buttons in the new colour — with no CSP violation. A file that is
 * not an accepted image and a colour too light for white text are refused with readable messages. The audit
 * log shows the colour change before → after. The browser tab's icon follows the logo and goes back to the
 * default mark when it is removed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FAVICON } from '../../web/lib/favicon';
import {
  browserSkipReason,
  launchBrowser,
  type PageRecord,
  recordPage,
  type TestBrowser,
  waitForHydration,
} from '../helpers/browser';
import { makeImage } from '../helpers/documents';
import { signUpCookie } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

if (browserSkipReason) console.warn(browserSkipReason);

describe.skipIf(browserSkipReason !== null)('branding in a browser', () => {
  let app: TestApp;
  let browser: TestBrowser;
  let page: Page;
  let record: PageRecord;
  let files: string;

  beforeAll(async () => {
    app = await startTestApp({ web: true });
    browser = await launchBrowser();
    const session = await signUpCookie(app, 'admin@lakeside.example');
    await browser.context.addCookies([{ ...session, url: app.url }]);
    page = await browser.newPage();
    record = recordPage(page);
    files = mkdtempSync(path.join(tmpdir(), 'branding-'));
    writeFileSync(path.join(files, 'crest.png'), await makeImage('png', 300, 100, '#7c2d12'));
    writeFileSync(
      path.join(files, 'crest.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script></svg>',
    );
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (files) rmSync(files, { recursive: true, force: true });
  });

  const headerLogo = () => page.locator('header img[src^="/api/branding/logo"]');
  /** The tab icon the document declares (there must be exactly one) and what it loads as an image. */
  const tabIcon = () =>
    page.evaluate(async () => {
      const links = [...document.querySelectorAll<HTMLLinkElement>('link[rel="icon"]')];
      const href = links[0]?.getAttribute('href') ?? '';
      const img = new Image();
      img.src = href;
      const loaded = await img.decode().then(
        () => true,
        () => false,
      );
      return { count: links.length, href, type: links[0]?.type, loaded, width: img.naturalWidth };
    });
  const refusals = () => record.consoleErrors.filter((e) => !/status of 41[35]|status of 422/.test(e));

  it('refuses an SVG logo and a too-light colour with messages that say why', async () => {
    await page.goto(`${app.url}/admin/settings`);
    await waitForHydration(page);
    await page.getByLabel('Logo', { exact: true }).setInputFiles(path.join(files, 'crest.svg'));
    await page.getByRole('button', { name: 'Upload logo' }).click();
    await page.getByText('this file is an SVG image (not accepted: SVG can carry scripts)').waitFor();
    await page.getByLabel('Accent colour', { exact: true }).fill('#fde047');
    await page.getByRole('button', { name: 'Save accent colour' }).click();
    await page.getByText(/is too light: white text on #fde047 .* WCAG AA needs at least 4\.5:1/).waitFor();
    expect(await headerLogo().count()).toBe(0);
    expect(await page.locator('header svg rect.fill-primary').count()).toBe(1); // the default mark
    expect(record.cspViolations).toEqual([]);
  });

  it('uploads a logo and sets a colour, then sees both on the page', async () => {
    await page.getByLabel('Logo', { exact: true }).setInputFiles(path.join(files, 'crest.png'));
    await page.getByRole('button', { name: 'Upload logo' }).click();
    await page.getByText('Logo saved').first().waitFor();
    await headerLogo().waitFor();
    // The image really loaded (a CSP or type problem would leave it broken at 0×0).
    await expect
      .poll(() => headerLogo().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(300);
    expect(await page.locator('header svg rect.fill-primary').count()).toBe(0);
    // The tab icon follows at once (no reload): the logo's versioned URL, loadable under the page's CSP.
    const logoSrc = await headerLogo().getAttribute('src');
    await expect.poll(async () => (await tabIcon()).href).toBe(logoSrc);
    expect(await tabIcon()).toEqual({
      count: 1,
      href: logoSrc,
      type: 'image/png',
      loaded: true,
      width: 300,
    });

    await page.getByLabel('Accent colour', { exact: true }).fill('#0F766E');
    await page.getByRole('button', { name: 'Save accent colour' }).click();
    await page.getByText('Accent colour saved').first().waitFor();
    const button = page.getByRole('button', { name: 'Save accent colour' });
    await expect
      .poll(() => button.evaluate((el) => getComputedStyle(el).backgroundColor))
      .toBe('rgb(15, 118, 110)');

    // Another page, signed out: the sign-in page shows the logo and the colour too.
    await browser.context.clearCookies();
    await page.goto(`${app.url}/auth/signin`);
    await waitForHydration(page);
    await headerLogo().waitFor();
    expect(await headerLogo().evaluate((img: HTMLImageElement) => img.naturalHeight)).toBe(100);
    expect(await tabIcon()).toMatchObject({ count: 1, href: logoSrc, loaded: true });
    const signIn = page.getByRole('button', { name: /sign in/i }).first();
    expect(await signIn.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(15, 118, 110)');
    expect(record.cspViolations).toEqual([]);
    expect(refusals()).toEqual([]);
  });

  it('lists the colour change before → after in the audit log, and removing the logo restores the mark and the tab icon', async () => {
    const session = await app.services.auth.createSession(
      app.services.systemCtx(),
      (await app.services.users.findByEmail(app.services.systemCtx(), 'admin@lakeside.example'))!.id,
    );
    await browser.context.addCookies([{ name: 'aistudio_session', value: session.token, url: app.url }]);
    await page.goto(`${app.url}/admin/audit?action=settings.update`);
    await waitForHydration(page);
    await page.getByText('branding.accent_color: — → #0f766e').first().waitFor();
    await page.goto(`${app.url}/admin/settings`);
    await waitForHydration(page);
    await page.getByRole('button', { name: 'Remove logo' }).click();
    await page.getByText('Logo removed; the default mark is back').first().waitFor();
    await expect.poll(() => headerLogo().count()).toBe(0);
    expect(await page.locator('header svg rect.fill-primary').count()).toBe(1);
    // The tab icon is the default mark again, in place and after a reload.
    await expect.poll(async () => (await tabIcon()).type).toBe('image/svg+xml');
    for (const reload of [false, true]) {
      if (reload) {
        await page.reload();
        await waitForHydration(page);
      }
      expect(await tabIcon()).toMatchObject({
        count: 1,
        href: DEFAULT_FAVICON.href,
        type: 'image/svg+xml',
        loaded: true,
      });
    }
    expect(record.cspViolations).toEqual([]);
    expect(refusals()).toEqual([]);
  });
});
