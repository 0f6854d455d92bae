/**
 * Knowledge in a browser: create a repository on /knowledge, upload a file on its page, watch the item's
 * status reach ready without reloading (the page re-reads itself while indexing), then search and see the
 * passage with its matched words marked. Set SCREENSHOT_DIR to keep screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserSkipReason,
  launchBrowser,
  recordPage,
  screenshot,
  type TestBrowser,
  waitForHydration,
} from '../helpers/browser';
import { signUpCookie } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

if (browserSkipReason) console.warn(browserSkipReason);

describe.skipIf(browserSkipReason !== null)('knowledge in a browser', () => {
  let app: TestApp;
  let browser: TestBrowser;

  beforeAll(async () => {
    app = await startTestApp({ web: true, jobs: 'work' });
    browser = await launchBrowser();
    const cookie = await signUpCookie(app, 'librarian@lakeside.example');
    await browser.context.addCookies([{ ...cookie, url: app.url }]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('creates a repository, uploads, watches progress reach ready, and searches', async () => {
    const page = await browser.newPage();
    const record = recordPage(page);
    await page.goto(`${app.url}/knowledge`);
    await waitForHydration(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Knowledge');
    await page.getByLabel('Name').fill('Library handbook');
    await page.getByRole('button', { name: 'Create repository' }).click();
    await page.waitForURL(/\/knowledge\/[0-9a-f-]{36}$/);
    await waitForHydration(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Library handbook');
    // A marker in the page's memory: it survives only if the page is never reloaded.
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
    });
    await page.getByLabel('File').setInputFiles({
      name: 'overdue.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Overdue books earn a gentle reminder after fourteen days.'),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    const row = page.getByTestId('knowledge-item').filter({ hasText: 'overdue.txt' });
    await row.waitFor();
    await page.locator('[data-testid="knowledge-item"][data-status="ready"]').waitFor({ timeout: 60_000 });
    expect(await row.getByText('ready').isVisible()).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    await screenshot(page, 'knowledge-repository');

    await page.getByLabel('Search this repository').fill('overdue reminder');
    await page.getByRole('button', { name: 'Search' }).first().click();
    await page.waitForURL(/\/knowledge\/search\?/);
    const results = page.getByTestId('knowledge-results');
    await results.waitFor();
    expect(await results.getByRole('link', { name: 'overdue.txt' }).isVisible()).toBe(true);
    expect(await results.locator('mark').allTextContents()).toEqual(
      expect.arrayContaining(['Overdue', 'reminder']),
    );
    await screenshot(page, 'knowledge-search');
    expect(record.cspViolations).toEqual([]);
    expect(record.consoleErrors).toEqual([]);
  });
});
