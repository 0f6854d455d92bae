/**
 * /api/docs in Chromium: the public API is grouped under its v1 tags, and "try it" works with a pasted
 * API key (Authorize → apiKey → Execute GET /api/v1/me → 200 with the key's owner), with no session cookie.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchBrowser, type TestBrowser } from '../helpers/browser';
import { startTestApp, type TestApp } from '../helpers/test-app';

if (browserSkipReason) console.warn(browserSkipReason);

describe.skipIf(browserSkipReason !== null)('API reference: try it with an API key', () => {
  let app: TestApp;
  let browser: TestBrowser;
  let secret: string;

  beforeAll(async () => {
    app = await startTestApp();
    await app.services.auth.signUp(app.services.systemCtx(), {
      email: 'docs@district.example',
      password: 'Correct-horse-battery-staple-42',
      name: 'Docs Reader',
    });
    ({ secret } = await app.services.apiKeys.createForEmail(
      app.services.systemCtx(),
      'docs@district.example',
      {
        name: 'docs',
        scopes: ['models:read'],
      },
    ));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('groups v1 by tag and executes GET /api/v1/me with the pasted key', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/api/docs`);
    await page.waitForSelector('.opblock', { timeout: 20_000 });
    const tags = await page.locator('.opblock-tag').allTextContents();
    expect(tags.some((t) => t.startsWith('v1 · OpenAI-compatible'))).toBe(true);
    expect(tags.some((t) => t.startsWith('v1') && !t.startsWith('v1 ·'))).toBe(true);

    await page.locator('button.authorize').first().click();
    const scheme = page.locator('.auth-container', { hasText: 'Bearer sk-' });
    await scheme.locator('input').fill(secret);
    await scheme.locator('button[type=submit]').click();
    await page.getByRole('button', { name: 'Close' }).first().click();

    const op = page.locator('.opblock', {
      has: page.locator('.opblock-summary-path[data-path="/api/v1/me"]'),
    });
    await op.locator('.opblock-summary').click();
    const tryOut = op.getByRole('button', { name: 'Try it out' });
    if (await tryOut.isVisible().catch(() => false)) await tryOut.click();
    await op.getByRole('button', { name: 'Execute' }).click();
    const status = op.locator('.live-responses-table tbody .response-col_status').first();
    await expect.poll(async () => (await status.textContent())?.trim(), { timeout: 15_000 }).toBe('200');
    const body = await op
      .locator('.live-responses-table tbody .response-col_description')
      .first()
      .textContent();
    expect(body).toContain('docs@district.example');
    expect(body).toMatch(/"authType":\s*"api_key"/);
    await page.close();
  });
});
