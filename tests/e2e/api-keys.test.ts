/**
 * API keys in a browser (issue 5, item 1): create a key on /profile/api-keys, copy the once-shown secret
 * from the clipboard, call GET /api/v1/me with it, revoke it in the UI and find the same call refused; the
 * admin overview shows the key with its owner and its request log; the 10-active-keys limit is readable.
 * Set SCREENSHOT_DIR to keep screenshots (light and dark).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCtx } from '../../api/lib/ctx';
import {
  browserSkipReason,
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

const EMAIL = 'ada@lakeside.example';

function expectNoErrors(record: PageRecord) {
  expect(record.cspViolations).toEqual([]);
  // The browser logs refused form posts (409/422) itself; those refusals are what the test asked for.
  expect(record.consoleErrors.filter((e) => !/status of (409|422)/.test(e))).toEqual([]);
}

describe.skipIf(browserSkipReason !== null)('API keys in a browser', () => {
  let app: TestApp;
  let browser: TestBrowser;
  let cookie: { name: string; value: string };

  const me = (key: string) => app.fetch('/api/v1/me', { headers: { authorization: `Bearer ${key}` } });

  beforeAll(async () => {
    app = await startTestApp({ web: true });
    browser = await launchBrowser();
    cookie = await signUpCookie(app, EMAIL); // the first account: administrator
    await browser.context.addCookies([{ ...cookie, url: app.url }]);
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('creates a key shown once, uses it, revokes it, and the key stops working', async () => {
    const page = await browser.newPage();
    const record = recordPage(page);
    await page.goto(`${app.url}/profile/api-keys`);
    await waitForHydration(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('API keys');
    const nav = page.getByRole('navigation', { name: 'Primary' });
    expect(await nav.getByRole('link', { name: 'API keys' }).getAttribute('aria-current')).toBe('page');
    expect(await page.getByText('No API keys yet').isVisible()).toBe(true);
    // The how-to snippets point at this server's /api/v1.
    expect(await page.locator('pre').first().textContent()).toContain('/api/v1/me');

    await page.getByLabel('Name').fill('LMS integration');
    await page.getByRole('checkbox', { name: /All scopes/ }).check();
    // With `*` chosen the single scopes are moot and disabled.
    expect(await page.getByRole('checkbox', { name: /^chat\b/ }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Create key' }).click();

    const notice = page.getByTestId('new-key');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('only time it is shown');
    // Focus lands on the notice so keyboard and screen-reader users find the key.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('LMS integration');
    const shown = await page.getByLabel('New API key').inputValue();
    expect(shown).toMatch(/^sk-[A-Za-z0-9_-]{40,}$/);
    await page.getByRole('button', { name: 'Copy the API key' }).click();
    await page.getByText('Copied to the clipboard').waitFor({ state: 'attached' });
    const key = await page.evaluate(() => navigator.clipboard.readText());
    expect(key).toBe(shown);
    const row = page.locator('tr', { hasText: 'LMS integration' });
    expect(await row.textContent()).toContain('Active');
    expect(await row.textContent()).toContain(key.slice(0, 12));
    await screenshot(page, 'api-keys-created-light');

    const ok = await me(key);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { email: string; authType: string; apiKey: { name: string } };
    expect(body).toMatchObject({ email: EMAIL, authType: 'api_key', apiKey: { name: 'LMS integration' } });

    // Revoke through the confirm dialog.
    await row.getByRole('button', { name: 'Revoke LMS integration' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByRole('heading').textContent()).toContain('LMS integration');
    await screenshot(page, 'api-keys-revoke-dialog-light');
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByText('Revoked').waitFor();
    expect(await row.getByRole('button', { name: /Revoke/ }).count()).toBe(0);

    const refused = await me(key);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);

    // Never shown again: a fresh load of the page does not contain the secret.
    await page.reload();
    await waitForHydration(page);
    expect(await page.content()).not.toContain(key);
    expect(await page.getByTestId('new-key').count()).toBe(0);
    expectNoErrors(record);
    await page.close();
  });

  it('shows every key with its owner and request log to an administrator', async () => {
    await app.services.apiKeys.usage.flush();
    const page = await browser.newPage();
    const record = recordPage(page);
    await page.goto(`${app.url}/admin/api-keys`);
    await waitForHydration(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('API keys');
    const row = page.locator('tr', { hasText: 'LMS integration' });
    expect(await row.textContent()).toContain('Revoked');
    expect(await row.textContent()).toMatch(/1 request(?!s)/);
    await row.getByRole('link', { name: 'Requests of LMS integration' }).click();
    const log = page.getByRole('table', { name: /Latest requests with “LMS integration”/ });
    await log.waitFor();
    const logText = await log.textContent();
    expect(logText).toContain('GET /api/v1/me');
    expect(logText).toContain('200');
    expect(logText).toMatch(/\d+ ms/);
    await screenshot(page, 'admin-api-keys-light');
    expectNoErrors(record);
    await page.close();
  });

  it('makes the 10-active-keys limit and refused input readable', async () => {
    const owner = await app.services.users.findByEmail(app.services.systemCtx(), EMAIL);
    const actor = (await app.services.users.actorFor(app.database.db, owner!.id))!;
    const ctx = createCtx({ db: app.database.db, log: app.log, actor });
    for (let i = 1; i <= 9; i++)
      await app.services.apiKeys.create(ctx, { name: `Script ${i}`, scopes: ['chat'] });

    const page = await browser.newPage();
    const record = recordPage(page);
    await page.goto(`${app.url}/profile/api-keys`);
    await waitForHydration(page);
    expect(await page.getByText('9 of 10 active keys in use.').isVisible()).toBe(true);

    // No scope chosen: the service's field error is shown at the scopes and focus goes there.
    await page.getByLabel('Name').fill('No scopes');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('Scopes must name at least one scope').waitFor();

    // The tenth key is fine…
    await page.getByLabel('Name').fill('Help-desk bot');
    await page.getByRole('checkbox', { name: /models:read/ }).check();
    await page.getByLabel('Rate limit (requests per minute)').fill('30');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByTestId('new-key').waitFor();
    const row = page.locator('tr', { hasText: 'Help-desk bot' });
    await row.waitFor();
    expect(await row.textContent()).toContain('30 requests/min');
    await page.getByText('You have 10 active keys, the most allowed').waitFor();

    // …the eleventh is refused with the service's message.
    await page.getByLabel('Name').fill('One too many');
    await page.getByRole('checkbox', { name: /All scopes/ }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('At most 10 active API keys per user: revoke one first').waitFor();
    await screenshot(page, 'api-keys-limit-light');
    expect((await app.services.apiKeys.listMine(ctx)).filter((k) => k.status === 'active')).toHaveLength(10);
    expectNoErrors(record);
    await page.close();
  });

  it('renders in the dark theme', async () => {
    const dark = await launchBrowser({ colorScheme: 'dark' });
    try {
      await dark.context.addCookies([{ ...cookie, url: app.url }]);
      for (const [pathname, name] of [
        ['/profile/api-keys', 'api-keys-dark'],
        ['/admin/api-keys', 'admin-api-keys-dark'],
      ] as const) {
        const page = await dark.newPage();
        const record = recordPage(page);
        await page.goto(app.url + pathname);
        await waitForHydration(page);
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('API keys');
        await screenshot(page, name);
        expectNoErrors(record);
        await page.close();
      }
    } finally {
      await dark.close();
    }
  });
});
