/**
 * First run (issue 15.4) in a browser (and, on the way, 15.11: focus moves to a failed sign-in's error): a fresh installation's home page invites creating the administrator
 * account; after signing up, the administrator finds the setup checklist where "ask your administrator"
 * used to be, each step a link and ticked from real state as it is done (one through the admin console); the
 * empty Compare page and model registry link to where models are set up.
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
import { startTestApp, type TestApp } from '../helpers/test-app';

if (browserSkipReason) console.warn(browserSkipReason);

/** Each step of the checklist on the page: its id, whether it is ticked, and where its link goes. */
function checklist(page: Page) {
  return page.locator('li[data-step]').evaluateAll((items) =>
    items.map((li) => ({
      id: li.getAttribute('data-step'),
      done: li.getAttribute('data-done') === 'true',
      href: li.querySelector('a')?.getAttribute('href'),
    })),
  );
}

describe.skipIf(browserSkipReason !== null)('first run in a browser', () => {
  let app: TestApp;
  let browser: TestBrowser;
  let page: Page;
  let record: PageRecord;

  beforeAll(async () => {
    app = await startTestApp({ web: true });
    browser = await launchBrowser();
    page = await browser.newPage();
    record = recordPage(page);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('moves keyboard focus to the error after a failed sign-in', async () => {
    await page.goto(`${app.url}/auth/signin`);
    await waitForHydration(page);
    await page.getByLabel('E-mail').fill('nobody@district.example');
    await page.getByLabel('Password').fill('Not-the-right-password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'signin-error');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/e-mail or password/i);
  });

  it('invites creating the administrator account on a fresh installation', async () => {
    await page.goto(`${app.url}/`);
    await waitForHydration(page);
    await page.getByRole('heading', { name: 'Nobody has an account here yet' }).waitFor();
    await page.getByRole('link', { name: 'Create the administrator account' }).click();
    await page.waitForURL(`${app.url}/auth/signup`);
    await waitForHydration(page);
    await page.getByLabel('Name').fill('Grace Admin');
    await page.getByLabel('E-mail').fill('grace@district.example');
    await page.getByLabel('Password').fill('Harbor-lights-and-42-cranes');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${app.url}/chat`);
  });

  it('shows the administrator the setup checklist instead of "ask your administrator"', async () => {
    await page.getByRole('heading', { name: 'Set up AI Studio' }).waitFor();
    expect(await page.getByText(/ask your administrator/i).count()).toBe(0);
    expect(await checklist(page)).toEqual([
      { id: 'provider', done: false, href: '/admin/models#providers' },
      { id: 'model', done: false, href: '/admin/models' },
      { id: 'signup', done: false, href: '/admin/auth#signup' },
      { id: 'people', done: false, href: '/admin/users' },
    ]);
    // The home page no longer invites sign-up (somebody has an account) and shows the same checklist.
    await page.goto(`${app.url}/`);
    await page.getByRole('heading', { name: 'Set up AI Studio' }).waitFor();
    expect(await page.getByRole('link', { name: 'Create the administrator account' }).count()).toBe(0);
  });

  it('links the empty Compare page and the empty model registry to where models are set up', async () => {
    await page.goto(`${app.url}/compare`);
    await waitForHydration(page);
    await page.getByRole('link', { name: 'Add models for Compare in Admin → Models.' }).click();
    await page.waitForURL(`${app.url}/admin/models`);
    await waitForHydration(page);
    const noProvider = page.getByRole('alert').filter({ hasText: 'No provider is configured yet' });
    expect(await noProvider.getByRole('link', { name: 'Providers' }).getAttribute('href')).toBe('#providers');
    expect(await page.getByRole('link', { name: 'Add one by id' }).getAttribute('href')).toBe('#add');
    await page.goto(`${app.url}/`);
    await page.getByRole('heading', { name: 'Set up AI Studio' }).waitFor();
  });

  it('ticks a step once it is done in the admin console', async () => {
    await waitForHydration(page);
    await page.getByRole('link', { name: 'Decide who may sign up' }).click();
    await page.waitForURL(`${app.url}/admin/auth#signup`);
    await waitForHydration(page);
    await page.getByLabel('Allowed e-mail domains').fill('district.example');
    await page.getByRole('button', { name: 'Save sign-up policy' }).click();
    await page.getByText('Sign-up policy saved').first().waitFor();
    await page.goto(`${app.url}/`);
    const steps = await checklist(page);
    expect(steps.find((s) => s.id === 'signup')?.done).toBe(true);
    expect(steps.filter((s) => s.done).map((s) => s.id)).toEqual(['signup']);
  });

  it('ticks the rest from real state and disappears when all is done', async () => {
    const ctx = app.services.systemCtx();
    await app.services.settings.set(ctx, { key: 'openai.api_key', value: 'sk-test-first-run' });
    await app.services.models.create(ctx, {
      provider: 'openai',
      modelId: 'gpt-first-run',
      displayName: 'First model',
    });
    await page.goto(`${app.url}/`);
    expect((await checklist(page)).map((s) => [s.id, s.done])).toEqual([
      ['provider', true],
      ['model', true],
      ['signup', true],
      ['people', false],
    ]);
    await app.services.users.create(ctx, {
      email: 'alan@district.example',
      name: 'Alan Teacher',
      password: 'Enigma-was-cracked-1941',
    });
    await page.goto(`${app.url}/`);
    await page.getByRole('heading', { name: 'How AI Studio is built' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Set up AI Studio' }).count()).toBe(0);
    // The page says what goes where (issue 15.9): prompts go to the chosen model's provider.
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('is sent to the provider of the model you pick');
    expect(text).not.toMatch(/stay on this server/i);
    expect(record.cspViolations).toEqual([]);
    // The browser logs the 401 of the refused sign-in itself; that refusal is what the first test asked for.
    expect(record.consoleErrors.filter((e) => !e.includes('status of 401'))).toEqual([]);
  });
});
