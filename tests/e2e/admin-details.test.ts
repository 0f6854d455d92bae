/**
 * Admin console details from issue 15 in a browser: "Add provider" shows the SSO redirect URI to register
 * before saving (from APP_URL and the short name as it is typed) with a copy button; settings are labelled
 * in words and grouped in sections, conversation retention among them.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserSkipReason,
  launchBrowser,
  type PageRecord,
  recordPage,
  type TestBrowser,
  waitForHydration,
} from '../helpers/browser';
import { signUpCookie } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

if (browserSkipReason) console.warn(browserSkipReason);

describe.skipIf(browserSkipReason !== null)('admin console details in a browser', () => {
  let app: TestApp;
  let browser: TestBrowser;
  let page: Page;
  let record: PageRecord;

  beforeAll(async () => {
    app = await startTestApp({ web: true });
    // The test server listens elsewhere than APP_URL: the redirect URI must follow APP_URL.
    expect(app.services.config.APP_URL).not.toBe(app.url);
    browser = await launchBrowser();
    const session = await signUpCookie(app, 'admin@lakeside.example');
    await browser.context.addCookies([{ ...session, url: app.url }]);
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    page = await browser.newPage();
    record = recordPage(page);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the SSO redirect URI before saving, following the short name, with a copy button', async () => {
    await page.goto(`${app.url}/admin/auth`);
    await waitForHydration(page);
    await page.getByRole('link', { name: 'Add provider' }).click();
    await page.waitForURL(`${app.url}/admin/auth/sso/new`);
    await waitForHydration(page);
    const APP_URL = app.services.config.APP_URL;
    const uri = page.getByLabel('Redirect URI to register at the identity provider');
    expect(await uri.inputValue()).toBe(`${APP_URL}/auth/callback/short-name`);
    await page.getByLabel('Short name').pressSequentially('district-idp');
    await expect.poll(() => uri.inputValue()).toBe(`${APP_URL}/auth/callback/district-idp`);
    await page.getByRole('button', { name: 'Copy the redirect URI' }).click();
    await page.getByRole('button', { name: 'Copy the redirect URI' }).getByText('Copied').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
      `${APP_URL}/auth/callback/district-idp`,
    );
    expect(record.consoleErrors).toEqual([]);
  });

  it('labels settings in words, grouped in sections, and saves conversation retention', async () => {
    await page.goto(`${app.url}/admin/settings`);
    await waitForHydration(page);
    const sections = await page.locator('main h2').allTextContents();
    expect(sections.filter((t) => ['Branding', 'Chat', 'Knowledge', 'Audit log'].includes(t))).toEqual([
      'Branding',
      'Chat',
      'Knowledge',
      'Audit log',
    ]);
    expect(await page.getByLabel('Product name', { exact: true }).inputValue()).toBe('AI Studio');
    expect(await page.getByLabel('Default model for new chats', { exact: true }).count()).toBe(1);
    await page.getByLabel('Keep conversations for (days)', { exact: true }).fill('400');
    await page.getByRole('button', { name: 'Save Keep conversations for (days)' }).click();
    await page.getByText('Keep conversations for (days) saved').first().waitFor();
    expect(await app.services.settings.get(app.services.systemCtx(), 'chat.retention_days')).toBe('400');
    expect(record.consoleErrors).toEqual([]);
  });
});
