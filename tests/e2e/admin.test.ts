/**
 * The admin console in a browser (issue 3 acceptance): sign up as the first account (administrator), sign
 * out, sign in, open Admin → Users, change another person's role, and find that change in the audit log.
 * Also: a student sees no Admin entry and gets the 403 page. Set SCREENSHOT_DIR to keep screenshots of
 * every admin page in light, dark and phone width.
 */
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
import { startTestApp, type TestApp } from '../helpers/test-app';

if (browserSkipReason) console.warn(browserSkipReason);

const ADMIN = {
  name: 'Grace Hopper',
  email: 'grace@lakeside.example',
  password: 'Harbor-lights-and-42-cranes',
};
const TEACHER = 'alan.turing@lakeside.example';

function expectNoErrors(record: PageRecord) {
  expect(record.cspViolations).toEqual([]);
  // The browser logs the 422 of a refused form post itself; that refusal is what the test asked for.
  expect(record.consoleErrors.filter((e) => !e.includes('status of 422'))).toEqual([]);
}

describe.skipIf(browserSkipReason !== null)('admin console in a browser', () => {
  let app: TestApp;
  let browser: TestBrowser;
  let teacherId: string;

  beforeAll(async () => {
    app = await startTestApp({ web: true });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('signs up, signs out, signs in, changes a role and finds it in the audit log', async () => {
    const page = await browser.newPage();
    const record = recordPage(page);

    // Sign up: the first account becomes administrator.
    await page.goto(`${app.url}/auth/signup`);
    await waitForHydration(page);
    await page.getByLabel('Name').fill(ADMIN.name);
    await page.getByLabel('E-mail').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: /create/i }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/auth/'));
    const me = await app.services.users.findByEmail(app.services.systemCtx(), ADMIN.email);
    expect(me).toBeDefined();

    // A second person, created the way an operator would (CLI/services), starts as staff.
    const teacher = await app.services.users.create(app.services.systemCtx(), {
      email: TEACHER,
      name: 'Alan Turing',
      password: 'Enigma-was-cracked-1941',
    });
    teacherId = teacher.id;
    expect(teacher.roles.map((r) => r.name)).toEqual(['staff']);

    // Sign out (a POST from the sign-out page's button), then sign in again.
    await page.goto(`${app.url}/auth/signout`);
    await waitForHydration(page);
    await page.getByRole('main').getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/auth\/signin\?signedout=1/);
    await page.getByLabel('E-mail').fill(ADMIN.email);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/auth/'));

    // Admin → Users (the nav entry lands on the first section).
    await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Admin' }).click();
    await page.waitForURL(/\/admin\/users$/);
    await waitForHydration(page);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Users');
    await page.getByRole('search', { name: 'Filter users' }).getByLabel('Search').fill('turing');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=turing/);
    const rows = page.getByRole('table').getByRole('row');
    await expect.poll(() => rows.count()).toBe(2); // header + Alan
    expect(await page.getByRole('table').textContent()).not.toContain(ADMIN.email);
    await page.getByRole('link', { name: 'Alan Turing' }).click();
    await page.waitForURL(new RegExp(`/admin/users/${teacherId}$`));
    await waitForHydration(page);

    // Make Alan a student instead of staff.
    await page.locator('input[name="roles"][value="staff"]').uncheck();
    await page.locator('input[name="roles"][value="student"]').check();
    await page.getByRole('button', { name: 'Save roles' }).click();
    await page.getByText('Roles saved', { exact: true }).waitFor();
    const after = await app.services.users.get(app.services.systemCtx(), teacherId);
    expect(after.roles.map((r) => r.name)).toEqual(['student']);
    expect(await page.locator('input[name="roles"][value="student"]').isChecked()).toBe(true);

    // Disabling asks first; Escape cancels and gives focus back to the button.
    const disable = page.getByRole('button', { name: 'Disable account' });
    await disable.click();
    const dialog = page.getByRole('dialog', { name: 'Disable this account?' });
    await dialog.waitFor();
    await screenshot(page, 'admin-user-confirm');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => disable.evaluate((el) => el === document.activeElement)).toBe(true);
    await disable.click();
    await dialog.getByRole('button', { name: 'Disable account' }).click();
    await page.getByText('Account disabled', { exact: true }).waitFor();
    expect((await app.services.users.get(app.services.systemCtx(), teacherId)).status).toBe('disabled');
    await page.getByRole('button', { name: 'Enable account' }).click();
    await page.getByText('Account enabled', { exact: true }).waitFor();
    expect((await app.services.users.get(app.services.systemCtx(), teacherId)).status).toBe('active');

    // A validation error shows next to its field, takes focus, and keeps what was typed.
    await page.goto(`${app.url}/admin/roles`);
    await waitForHydration(page);
    const create = page.getByRole('region', { name: 'New role' });
    await create.getByLabel('Name').fill('Library Staff!');
    await create.getByLabel('Description').fill('School librarians');
    await create.locator('input[value="knowledge:manage"]').check();
    await create.getByRole('button', { name: 'Create role' }).click();
    await create.getByText(/must be 2–40 characters/).waitFor();
    expect(await create.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'name');
    expect(await create.getByLabel('Description').inputValue()).toBe('School librarians');
    expect(await create.locator('input[value="knowledge:manage"]').isChecked()).toBe(true);
    await screenshot(page, 'admin-roles-error');
    await create.getByLabel('Name').fill('librarian');
    await create.getByRole('button', { name: 'Create role' }).click();
    await page.getByText('Role created', { exact: true }).waitFor();
    expect(await page.getByRole('heading', { name: 'librarian' }).count()).toBe(1);

    // The audit log shows the change, filtered by action.
    await page.goto(`${app.url}/admin/audit`);
    await waitForHydration(page);
    await page.getByLabel('Action').fill('users.update');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/action=users.update/);
    const table = page.getByRole('table');
    await table.getByText('users.update').first().waitFor();
    const text = await table.textContent();
    expect(text).toContain(ADMIN.name);
    // An update lists what changed, before → after.
    expect(text).toContain('roles: ["staff"] → ["student"]');
    // The CSV export link carries the same filter.
    const csv = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    expect(csv).toBe('/api/admin/audit.csv?action=users.update');
    await screenshot(page, 'admin-audit-light');
    expectNoErrors(record);
    await page.close();
  });

  it('shows every admin page without errors, in light, dark and at phone width', async () => {
    const page = await browser.newPage();
    const record = recordPage(page);
    const pages = [
      ['users', '/admin/users', 'Users'],
      ['user', `/admin/users/${teacherId}`, 'Alan Turing'],
      ['roles', '/admin/roles', 'Roles'],
      ['models', '/admin/models', 'Models'],
      ['budgets', '/admin/budgets', 'Budgets'],
      ['auth', '/admin/auth', 'Sign-in'],
      ['sso-new', '/admin/auth/sso/new', 'Add a single sign-on provider'],
      ['settings', '/admin/settings', 'Settings'],
      ['audit', '/admin/audit', 'Audit log'],
      ['knowledge', '/admin/knowledge', 'Knowledge'],
      ['profile', '/profile', 'Your profile'],
    ] as const;
    for (const [name, url, heading] of pages) {
      const res = await page.goto(app.url + url);
      expect(res?.status(), url).toBe(200);
      await waitForHydration(page);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(heading);
      await screenshot(page, `admin-${name}-light`);
    }
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const [name, url] of pages.filter(([n]) => ['users', 'user', 'models', 'roles'].includes(n))) {
      await page.goto(app.url + url);
      await waitForHydration(page);
      await screenshot(page, `admin-${name}-dark`);
    }
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [name, url] of pages.filter(([n]) => ['users', 'user', 'audit', 'profile'].includes(n))) {
      await page.goto(app.url + url);
      await waitForHydration(page);
      await screenshot(page, `admin-${name}-phone`);
    }
    expectNoErrors(record);
    await page.close();
  });

  it('keeps students out: no Admin entry, and the 403 page on /admin/*', async () => {
    const other = await launchBrowser();
    try {
      const { session } = await app.services.auth.signIn(app.services.systemCtx(), {
        email: TEACHER,
        password: 'Enigma-was-cracked-1941',
      });
      const pair = session.cookie.split(';')[0]!;
      const eq = pair.indexOf('=');
      await other.context.addCookies([{ name: pair.slice(0, eq), value: pair.slice(eq + 1), url: app.url }]);
      const page = await other.newPage();
      const res = await page.goto(`${app.url}/admin/users`);
      expect(res?.status()).toBe(403);
      await waitForHydration(page);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
        'You do not have access to this page',
      );
      const nav = page.getByRole('navigation', { name: 'Primary' });
      expect(await nav.getByRole('link', { name: 'Admin' }).count()).toBe(0);
      expect((await page.goto(`${app.url}/admin/models`))?.status()).toBe(403);
      // Their own profile is open to them.
      expect((await page.goto(`${app.url}/profile`))?.status()).toBe(200);
    } finally {
      await other.close();
    }
  });
});
