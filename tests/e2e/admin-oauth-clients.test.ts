/**
 * /admin/oauth-clients in a browser (issue 11, item 5): an administrator registers a confidential client,
 * sees its secret once (and it works at the token endpoint), finds a self-registered MCP client marked as
 * such, edits the client, rotates the secret (the old one stops), disables the client (its tokens are
 * refused), and every change is in the audit log. Set SCREENSHOT_DIR to keep screenshots.
 */
import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../db/schema/index';
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

function expectNoErrors(record: PageRecord) {
  expect(record.cspViolations).toEqual([]);
  // The browser logs a refused form post (422) itself; that refusal is what the test asked for.
  expect(record.consoleErrors.filter((e) => !e.includes('status of 422'))).toEqual([]);
}

describe.skipIf(browserSkipReason !== null)('OAuth clients in the admin console', () => {
  let app: TestApp;
  let browser: TestBrowser;

  /** client_credentials with these credentials: the token endpoint's status. */
  const clientCredentials = async (id: string, secret: string) =>
    (
      await app.fetch('/api/oauth/token', {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'models:read' }),
      })
    ).status;

  beforeAll(async () => {
    app = await startTestApp({ web: true });
    app.services.config.APP_URL = app.url;
    browser = await launchBrowser();
    // The first account is the administrator; it doubles as the service account of the client.
    await browser.context.addCookies([
      { ...(await signUpCookie(app, 'grace@lakeside.example')), url: app.url },
    ]);
    await app.services.oauthClients.dynamic.register(app.services.systemCtx(), {
      client_name: 'Claude Desktop',
      redirect_uris: ['http://127.0.0.1/callback'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('registers a client, shows its secret once, edits, rotates and disables it — all audited', async () => {
    const page = await browser.newPage();
    const record = recordPage(page);
    await page.goto(`${app.url}/admin/oauth-clients`);
    await waitForHydration(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('OAuth clients');
    const nav = page.getByRole('navigation', { name: 'Admin' });
    expect(await nav.getByRole('link', { name: 'OAuth clients' }).getAttribute('aria-current')).toBe('page');
    const dynamicRow = page.locator('tr', { hasText: 'Claude Desktop' });
    expect(await dynamicRow.textContent()).toContain('Registered itself');

    // A refused registration names the field.
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Register client' }) });
    await form.getByRole('textbox', { name: 'Name' }).fill('Gradebook');
    await form.getByLabel('Redirect URIs').fill('http://gradebook.example/callback');
    await form.getByRole('checkbox', { name: /^models:read/ }).check();
    await form.getByRole('button', { name: 'Register client' }).click();
    await form.getByText(/must use https/).waitFor();

    await form.getByLabel('Redirect URIs').fill('https://gradebook.example/callback');
    await form.getByLabel('Service account (e-mail)').fill('grace@lakeside.example');
    await form.getByRole('button', { name: 'Register client' }).click();
    const notice = page.getByTestId('new-key');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('only time it is shown');
    const secret = await page.getByLabel('New client secret').inputValue();
    expect(secret.length).toBeGreaterThanOrEqual(40);
    const row = page.locator('tr', { hasText: 'Gradebook' });
    const clientId = (await row.getAttribute('data-client-id'))!;
    expect(await notice.textContent()).toContain(clientId);
    expect(await row.textContent()).toContain('Confidential');
    expect(await row.textContent()).toContain('gradebook.example');
    await screenshot(page, 'admin-oauth-clients-registered');
    expect(await clientCredentials(clientId, secret)).toBe(200);

    // Shown once: a fresh load does not carry it.
    await page.reload();
    await waitForHydration(page);
    expect(await page.content()).not.toContain(secret);
    expect(await page.getByTestId('new-key').count()).toBe(0);

    // Edit: name and a second redirect URI.
    await page.getByRole('link', { name: 'Edit Gradebook' }).click();
    await page.waitForURL(`${app.url}/admin/oauth-clients/${clientId}`);
    await waitForHydration(page);
    await page.getByRole('textbox', { name: 'Name' }).fill('Gradebook sync');
    await page
      .getByLabel('Redirect URIs')
      .fill('https://gradebook.example/callback\nhttps://gradebook.example/other');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Gradebook sync' }).waitFor();
    const saved = await app.services.oauthClients.get(app.services.systemCtx(), clientId);
    expect(saved).toMatchObject({
      name: 'Gradebook sync',
      redirectUris: ['https://gradebook.example/callback', 'https://gradebook.example/other'],
      scopes: ['models:read'],
      serviceUserEmail: 'grace@lakeside.example',
    });

    // Rotate: a new secret, shown once; the old one stops.
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
    const rotated = await page.getByLabel('New client secret').inputValue();
    expect(rotated).not.toBe(secret);
    expect(await clientCredentials(clientId, secret)).toBe(401);
    expect(await clientCredentials(clientId, rotated)).toBe(200);

    // Disable: its credentials are refused.
    await page.getByRole('button', { name: 'Disable Gradebook sync' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Disable client' }).click();
    await page.getByText('Disabled', { exact: true }).waitFor();
    expect(await clientCredentials(clientId, rotated)).toBe(401);
    await screenshot(page, 'admin-oauth-client-disabled');
    await page.getByRole('button', { name: 'Enable Gradebook sync' }).waitFor();

    const audit = await app.database.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.targetId, clientId));
    expect(audit.map((a) => a.action).sort()).toEqual([
      'oauth_clients.create',
      'oauth_clients.rotate_secret',
      'oauth_clients.update',
      'oauth_clients.update',
    ]);
    const leaked = await app.database.db
      .select({ details: auditEvents.details })
      .from(auditEvents)
      .where(like(auditEvents.action, 'oauth_clients.%'));
    expect(JSON.stringify(leaked)).not.toContain(rotated);
    expectNoErrors(record);
    await page.close();
  });
});
