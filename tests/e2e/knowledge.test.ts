/**
 * Knowledge in a browser, one person's whole path: create a repository on /knowledge, upload a file on its
 * page, watch the item's status reach ready without reloading (the page re-reads itself while indexing),
 * search and see the passage with its matched words marked, then attach the repository in chat, ask, and
 * open the answer's citation. Set SCREENSHOT_DIR to keep screenshots.
 */

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserSkipReason,
  launchBrowser,
  type PageRecord,
  recordPage,
  screenshot,
  type TestBrowser,
  waitForHydration,
} from '../helpers/browser';
import { askWithKnowledge } from '../helpers/cited-chat';
import { type FakeUpstream, startFakeUpstream } from '../helpers/fake-upstreams';
import { signUpCookie } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

if (browserSkipReason) console.warn(browserSkipReason);

describe.skipIf(browserSkipReason !== null)('knowledge in a browser', () => {
  let app: TestApp;
  let browser: TestBrowser;
  let fake: FakeUpstream;
  let page: Page;
  let record: PageRecord;

  beforeAll(async () => {
    app = await startTestApp({ web: true, jobs: 'work' });
    fake = await startFakeUpstream('openai-compatible');
    await app.services.models.create(app.services.systemCtx(), {
      provider: 'openai-compatible',
      modelId: 'fake-librarian',
      displayName: 'Librarian model',
      baseUrl: fake.baseURL,
      inputPricePerMillion: '1',
      outputPricePerMillion: '2',
    });
    browser = await launchBrowser();
    const cookie = await signUpCookie(app, 'librarian@lakeside.example');
    await browser.context.addCookies([{ ...cookie, url: app.url }]);
  });
  afterAll(async () => {
    await browser?.close();
    await fake?.close();
    await app?.close();
  });

  it('creates a repository, uploads, watches progress reach ready, and searches', async () => {
    page = await browser.newPage();
    record = recordPage(page);
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

  it('attaches that repository in chat, asks, and opens the citation at its passage', async () => {
    const { citation, system } = await askWithKnowledge(page, fake, {
      appUrl: app.url,
      repository: /Library handbook/,
      question: 'When are overdue books chased?',
      answer: ['After fourteen days', ' you get a gentle reminder [1].'],
    });
    expect(system).toContain('[1] overdue.txt');
    expect(system).toContain('Overdue books earn a gentle reminder');
    expect(await page.getByRole('region', { name: 'Sources' }).textContent()).toContain('overdue.txt');

    const href = (await citation.getAttribute('href'))!;
    expect(href).toMatch(/^\/api\/v1\/repositories\/[0-9a-f-]{36}\/items\/[0-9a-f-]{36}\/file/);
    const [opened] = await Promise.all([page.waitForEvent('popup'), citation.click()]);
    await opened.waitForLoadState();
    expect(await opened.locator('body').textContent()).toContain('Overdue books earn a gentle reminder');
    await opened.close();
    await screenshot(page, 'knowledge-cited-in-chat');
    expect(record.cspViolations).toEqual([]);
    expect(record.consoleErrors).toEqual([]);
  });
});
