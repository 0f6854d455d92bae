/**
 * Browser smoke test of the app shell on the built app: it hydrates, loads nothing from outside this
 * machine, breaks no CSP rule, is keyboard-usable, keeps the theme, and answers unknown paths with a real
 * 404 page inside the layout. Set SCREENSHOT_DIR to keep screenshots for a human look.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserSkipReason,
  foreignRequests,
  launchBrowser,
  type PageRecord,
  recordPage,
  screenshot,
  type TestBrowser,
  waitForHydration,
} from '../helpers/browser';
import { signUpCookie } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

if (browserSkipReason) console.warn(browserSkipReason);

describe.skipIf(browserSkipReason !== null)('app shell in a browser', () => {
  let app: TestApp;
  let browser: TestBrowser;

  beforeAll(async () => {
    app = await startTestApp({ web: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** Opens a page on the app and records what it does. */
  async function open(pathname: string): Promise<{ page: Page; record: PageRecord; status: number }> {
    const page = await browser.newPage();
    const record = recordPage(page);
    const response = await page.goto(app.url + pathname);
    return { page, record, status: response?.status() ?? 0 };
  }

  function expectClean(record: PageRecord) {
    expect(record.requests.length).toBeGreaterThan(0);
    expect(foreignRequests(record, app.url)).toEqual([]);
    expect(record.cspViolations).toEqual([]);
    expect(record.consoleErrors).toEqual([]);
  }

  it('loads the home page, hydrates, and talks to nobody but this server', async () => {
    const { page, record, status } = await open('/');
    expect(status).toBe(200);
    await waitForHydration(page);
    await expect(page.title()).resolves.toBe('AI Studio');
    expect(await page.locator('header').getByRole('link', { name: 'AI Studio' }).count()).toBe(1);
    const nav = page.getByRole('navigation', { name: 'Primary' });
    // Anonymous visitors hold no capability, so only ungated entries show.
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Home', 'API reference']);
    expect(await nav.getByRole('link', { name: 'Home' }).getAttribute('aria-current')).toBe('page');
    expect(await page.getByRole('main').getByRole('heading', { level: 1 }).count()).toBe(1);
    expect(await page.locator('header').getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe(
      '/auth/signin',
    );
    // Client-side navigation works after hydration (the link is handled by the router, no document load).
    await nav.getByRole('link', { name: 'Home' }).click();
    await screenshot(page, 'home-light');
    expectClean(record);
    await page.close();
  });

  it('shows the product name from settings in the header and the title', async () => {
    await app.services.settings.set(app.services.systemCtx(), {
      key: 'app.name',
      value: 'Lakeside Schools AI',
    });
    try {
      const { page, record } = await open('/');
      await waitForHydration(page);
      await expect(page.title()).resolves.toBe('Lakeside Schools AI');
      expect(await page.locator('header').getByRole('link', { name: 'Lakeside Schools AI' }).count()).toBe(1);
      expectClean(record);
      await page.close();
    } finally {
      await app.services.settings.unset(app.services.systemCtx(), 'app.name');
    }
  });

  it('puts the skip link first in the tab order and moves focus to the main content', async () => {
    const { page, record } = await open('/');
    await waitForHydration(page);
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    expect(await focused.textContent()).toBe('Skip to main content');
    expect(await focused.isVisible()).toBe(true);
    await screenshot(page, 'skip-link');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'main');
    expectClean(record);
    await page.close();
  });

  it('switches the theme and keeps it across a reload', async () => {
    const { page, record } = await open('/');
    await waitForHydration(page);
    const html = page.locator('html');
    expect(await html.getAttribute('data-theme')).toBe('system');
    const lightBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);

    await page.getByRole('button', { name: 'Dark theme' }).click();
    await page.waitForSelector('html[data-theme="dark"]');
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('button', { name: 'Dark theme' }).getAttribute('aria-pressed')).toBe('true');
    const darkBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(darkBg).not.toBe(lightBg);

    await page.reload();
    // The server renders the saved theme itself: right before any script runs.
    expect(await html.getAttribute('data-theme')).toBe('dark');
    await waitForHydration(page);
    await screenshot(page, 'home-dark');

    await page.getByRole('button', { name: 'Use system theme' }).click();
    await page.waitForSelector('html[data-theme="system"]');
    await page.waitForLoadState('networkidle');
    expectClean(record);
    await page.close();
  });

  it('answers an unknown path with a 404 page that keeps the layout', async () => {
    // Signed in: anonymous visitors to non-public paths are sent to the sign-in page instead.
    const session = await signUpCookie(app);
    await browser.context.addCookies([{ ...session, url: app.url }]);
    const { page, record, status } = await open('/no-such-page');
    expect(status).toBe(404);
    await waitForHydration(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
    await expect(page.title()).resolves.toBe('Page not found · AI Studio');
    expect(
      await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Home' }).count(),
    ).toBe(1);
    await screenshot(page, 'not-found');
    // The browser itself reports the 404 of the document; nothing else may go wrong.
    record.consoleErrors = record.consoleErrors.filter((e) => !e.includes('status of 404'));
    expectClean(record);
    await page.close();
    await browser.context.clearCookies();
  });

  it('shows the signed-in person in an account menu that signs them out', async () => {
    const session = await signUpCookie(app, 'ada.lovelace@district.example');
    await browser.context.addCookies([{ ...session, url: app.url }]);
    const { page, record } = await open('/');
    await waitForHydration(page);
    expect(await page.locator('header').getByRole('link', { name: 'Sign in' }).count()).toBe(0);
    await page.getByRole('button', { name: /Test User/ }).click();
    const menu = page.getByRole('menu');
    expect(await menu.getByRole('menuitem', { name: 'Your profile' }).getAttribute('href')).toBe('/profile');
    await screenshot(page, 'account-menu');
    await menu.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL(/\/auth\/signin/);
    const cookies = await browser.context.cookies(app.url);
    expect(cookies.find((c) => c.name === session.name)).toBeUndefined();
    expectClean(record);
    await page.close();
  });

  it('collapses the navigation behind a menu button on a phone', async () => {
    const phone = await launchBrowser({ viewport: { width: 390, height: 844 } });
    try {
      const page = await phone.newPage();
      const record = recordPage(page);
      await page.goto(`${app.url}/`);
      await waitForHydration(page);
      const nav = page.getByRole('navigation', { name: 'Primary' });
      const menu = page.getByRole('button', { name: 'Menu' });
      expect(await nav.isVisible()).toBe(false);
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      await menu.click();
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      expect(await nav.getByRole('link', { name: 'API reference' }).isVisible()).toBe(true);
      // The theme switch moved into the open menu panel on phones.
      expect(await page.getByRole('button', { name: 'Dark theme' }).isVisible()).toBe(true);
      await screenshot(page, 'phone-menu');
      expect(foreignRequests(record, app.url)).toEqual([]);
      expect(record.consoleErrors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('serves the API reference with rendered operations and no outside requests', async () => {
    const { page, record, status } = await open('/api/docs');
    expect(status).toBe(200);
    await page.waitForSelector('.opblock', { timeout: 15_000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThan(0);
    expect(await page.locator('.opblock-summary-path').allTextContents()).toContain('/api/health');
    await screenshot(page, 'api-docs');
    expectClean(record);
    await page.close();
  });
});
