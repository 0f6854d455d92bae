/**
 * A used-up budget in the browser (issue 15.8): one wording everywhere ("You have used your monthly AI
 * budget (… of … tokens). It resets on …"), the date in the person's locale, and send and regenerate
 * disabled with that reason — the person is told before trying, not after. Compare too: asking, following
 * up and fusing are disabled with the same words.
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
import { type FakeUpstream, startFakeUpstream } from '../helpers/fake-upstreams';
import { startTestApp, type TestApp } from '../helpers/test-app';

if (browserSkipReason) console.warn(browserSkipReason);

const LOCALE = 'de-DE';

/** The first of next month (UTC), as the person's locale writes it. */
function resetDate(): string {
  const now = new Date();
  return new Intl.DateTimeFormat(LOCALE, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)),
  );
}

describe.skipIf(browserSkipReason !== null)('a used-up budget in a browser', () => {
  let app: TestApp;
  let fake: FakeUpstream;
  let browser: TestBrowser;
  let page: Page;
  let record: PageRecord;

  beforeAll(async () => {
    app = await startTestApp({ web: true });
    fake = await startFakeUpstream('openai-compatible');
    const ctx = app.services.systemCtx();
    const admin = await app.services.users.create(ctx, {
      email: 'admin@district.example',
      name: 'Admin',
      password: 'Harbor-lights-and-42-cranes',
    });
    const teacher = await app.services.users.create(ctx, {
      email: 'teacher@district.example',
      name: 'Teacher',
      password: 'Harbor-lights-and-42-cranes',
    });
    await app.services.models.create(ctx, {
      provider: 'openai-compatible',
      modelId: 'fake-budget',
      displayName: 'Budget model',
      baseUrl: fake.baseURL,
      inputPricePerMillion: '2.5',
      outputPricePerMillion: '10',
    });
    // A thousand tokens a month: the first answer uses them up.
    const adminActor = (await app.services.users.actorFor(app.database.db, admin.id))!;
    await app.services.budgets.create(
      { ...ctx, actor: adminActor },
      { scope: 'user', userId: teacher.id, limitTokens: 1000 },
    );
    browser = await launchBrowser({ locale: LOCALE });
    const { token } = await app.services.auth.createSession(ctx, teacher.id);
    await browser.context.addCookies([{ name: 'aistudio_session', value: token, url: app.url }]);
    page = await browser.newPage();
    record = recordPage(page);
  });
  afterAll(async () => {
    await browser?.close();
    await fake?.close();
    await app?.close();
  });

  it('disables send and regenerate with the reason, in one wording, dated in the person’s locale', async () => {
    fake.script({
      chunks: ['Photosynthesis', ' makes', ' sugar.'],
      usage: { inputTokens: 1200, outputTokens: 300 },
    });
    await page.goto(`${app.url}/chat`);
    await waitForHydration(page);
    const input = page.locator('#chat-input');
    await input.fill('What does photosynthesis make?');
    await input.press('Enter');
    await page.getByRole('region', { name: 'Messages' }).getByText('Photosynthesis makes sugar.').waitFor();
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);

    await page.reload();
    await waitForHydration(page);
    // Numbers and the date as German writes them.
    const reason = `You have used your monthly AI budget (1.500 of 1.000 tokens). It resets on ${resetDate()}.`;
    await page.getByRole('alert').filter({ hasText: 'Monthly budget reached' }).waitFor();
    expect(
      await page.getByRole('alert').filter({ hasText: 'Monthly budget reached' }).textContent(),
    ).toContain(reason);
    // The sidebar meter says the same words, its figures written the same way.
    const sidebar = page.getByRole('complementary', { name: 'Conversations' });
    expect(await sidebar.textContent()).toContain(reason);
    expect(await sidebar.getByRole('meter').getAttribute('aria-valuetext')).toBe(
      '1.500 tokens of 1.000 tokens used',
    );
    expect(await sidebar.textContent()).toContain('1.500 tokens of 1.000 tokens');
    expect(await input.isDisabled()).toBe(true);
    expect(await input.getAttribute('placeholder')).toBe(reason);
    const regenerate = page.getByRole('button', { name: 'Regenerate answer' });
    expect(await regenerate.isDisabled()).toBe(true);
    expect(await regenerate.getAttribute('aria-description')).toBe(reason);
    expect(record.consoleErrors).toEqual([]);
  });

  it('disables asking, following up and fusing on Compare with the same reason, before the person tries', async () => {
    const ctx = app.services.systemCtx();
    await app.services.models.create(ctx, {
      provider: 'openai-compatible',
      modelId: 'fake-budget-2',
      displayName: 'Second budget model',
      baseUrl: fake.baseURL,
    });
    const as = async (email: string) => {
      const user = (await app.services.users.findByEmail(ctx, email))!;
      return { ...ctx, actor: (await app.services.users.actorFor(app.database.db, user.id))! };
    };
    const teacherCtx = await as('teacher@district.example');
    const adminCtx = await as('admin@district.example');
    const [budget] = await app.services.budgets.list(adminCtx);
    // A comparison saved while there was budget left (raised for it, then set back to a thousand tokens).
    await app.services.budgets.update(adminCtx, budget!.id, { limitTokens: 100_000 });
    fake.script({ chunks: ['Leaves', ' make sugar.'], usage: { inputTokens: 10, outputTokens: 3 } });
    const { token } = await app.services.auth.createSession(ctx, teacherCtx.actor.id!);
    const models = await app.services.models.listUsable(teacherCtx, 'compare');
    const saved = await app.fetch('/api/comparisons', {
      method: 'POST',
      headers: { cookie: `aistudio_session=${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'What do leaves make?', modelIds: models.map((m) => m.id) }),
    });
    expect(saved.status).toBe(200);
    const comparisonId = saved.headers.get('x-comparison-id');
    await saved.text();
    await app.services.budgets.update(adminCtx, budget!.id, { limitTokens: 1000 });

    // The chat's 1,500 tokens and 13 for each of the two answers, once both are in the ledger.
    await expect.poll(async () => (await app.services.budgets.status(teacherCtx)).usedTokens).toBe(1526);
    const reason = `You have used your monthly AI budget (1.526 of 1.000 tokens). It resets on ${resetDate()}.`;

    // A new comparison: two models to choose from, so only the budget keeps the prompt box closed.
    await page.goto(`${app.url}/compare`);
    await waitForHydration(page);
    const alert = page.getByRole('alert').filter({ hasText: 'Monthly budget reached' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain(`${reason} Comparing and fusing are turned off until then.`);
    expect(await page.getByRole('checkbox').count()).toBe(2);
    const input = page.locator('#compare-input');
    expect(await input.isDisabled()).toBe(true);
    expect(await input.getAttribute('placeholder')).toBe(reason);

    // The saved comparison: no follow-up and no fusing, each saying why.
    await page.goto(`${app.url}/compare/${comparisonId}`);
    await waitForHydration(page);
    await page.getByText('Leaves make sugar.').first().waitFor();
    expect(await input.isDisabled()).toBe(true);
    expect(await input.getAttribute('placeholder')).toBe(reason);
    const fuse = page.getByRole('button', { name: 'Fuse answers' });
    expect(await fuse.isDisabled()).toBe(true);
    expect(await fuse.getAttribute('aria-description')).toBe(reason);
    expect(record.consoleErrors).toEqual([]);
  });
});
