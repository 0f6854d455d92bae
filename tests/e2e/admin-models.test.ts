/**
 * The model registry in a browser against a fake OpenAI server over real HTTP: enter the provider's
 * credentials (write-only), discover its models and add one, test it (latency on success, the provider's
 * readable error on failure), edit its price and restrict it to a role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserSkipReason,
  launchBrowser,
  screenshot,
  type TestBrowser,
  waitForHydration,
} from '../helpers/browser';
import { type FakeUpstream, startFakeUpstream } from '../helpers/fake-upstreams';
import { signUpCookie } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

if (browserSkipReason) console.warn(browserSkipReason);

describe.skipIf(browserSkipReason !== null)('model registry in a browser', () => {
  let app: TestApp;
  let browser: TestBrowser;
  let fake: FakeUpstream;

  beforeAll(async () => {
    app = await startTestApp({ web: true });
    fake = await startFakeUpstream('openai');
    browser = await launchBrowser();
    const session = await signUpCookie(app, 'admin@lakeside.example'); // first account: administrator
    await browser.context.addCookies([{ ...session, url: app.url }]);
  });
  afterAll(async () => {
    await browser?.close();
    await fake?.close();
    await app?.close();
  });

  it('configures OpenAI, discovers and adds a model, tests it, and edits it', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${app.url}/admin/models`);
    await waitForHydration(page);

    // Credentials: the key is write-only; afterwards the field only says it is set.
    const openai = page.getByRole('region', { name: 'OpenAI', exact: true });
    await openai.getByLabel('OpenAI API key').fill('sk-fake-key-for-tests');
    await openai.getByLabel('OpenAI base URL').fill(fake.baseURL);
    await openai.getByRole('button', { name: 'Save OpenAI' }).click();
    await page.getByText('OpenAI credentials saved', { exact: true }).waitFor();
    expect(await page.content()).not.toContain('sk-fake-key-for-tests');
    expect(await openai.getByLabel('OpenAI API key').getAttribute('placeholder')).toBe(
      'Set — type to replace',
    );

    // Discover: list the provider's models, tick one, add it.
    const discover = page.getByRole('region', { name: 'Discover models' });
    await discover.getByLabel('Provider').selectOption('openai');
    await discover.getByRole('button', { name: 'List models' }).click();
    await discover.getByText('2 models found').waitFor();
    await discover.getByRole('checkbox', { name: /fake-small/ }).check();
    await discover.getByRole('button', { name: 'Add selected' }).click();
    await page.getByText('1 model added', { exact: true }).waitFor();
    // The list refreshes: the added model can no longer be ticked.
    await expect.poll(() => discover.getByRole('checkbox', { name: /fake-small/ }).isDisabled()).toBe(true);
    const registry = page.getByRole('region', { name: 'Registered models' });
    await registry.getByRole('link', { name: 'fake-small', exact: true }).waitFor();

    // Test: success shows latency; a provider error shows its message.
    await registry.getByRole('button', { name: 'Test fake-small' }).click();
    await registry.getByText(/Answered in [\d,]+ ms/).waitFor();
    fake.script({ chunks: [], fail: { status: 401, message: 'Incorrect API key provided' } });
    await registry.getByRole('button', { name: 'Test fake-small' }).click();
    await registry.getByText(/Incorrect API key provided/).waitFor();
    await screenshot(page, 'admin-models-configured');
    fake.reset();

    // Edit: price and a role restriction.
    await registry.getByRole('link', { name: 'fake-small', exact: true }).click();
    await page.waitForURL(/\/admin\/models\/[0-9a-f-]{36}$/);
    await waitForHydration(page);
    await page.getByRole('textbox', { name: 'Display name', exact: true }).fill('Fake Small (classroom)');
    await page.getByLabel('Input price', { exact: true }).fill('0.15');
    await page.getByLabel('Output price', { exact: true }).fill('abc');
    await page.getByRole('button', { name: 'Save model' }).click();
    await page.getByText(/USD amount per 1M tokens/).waitFor();
    expect(await page.getByLabel('Input price', { exact: true }).inputValue()).toBe('0.15'); // kept after the refusal
    await page.getByLabel('Output price', { exact: true }).fill('0.6');
    await page.getByRole('button', { name: 'Save model' }).click();
    await page.getByText('Model saved', { exact: true }).waitFor();
    await page.locator('input[name="roles"][value="staff"]').check();
    await page.getByRole('button', { name: 'Save access' }).click();
    await page.getByText('Access saved', { exact: true }).waitFor();
    await screenshot(page, 'admin-model-edit');

    const [model] = await app.services.models.list(app.services.systemCtx());
    expect(model).toMatchObject({
      modelId: 'fake-small',
      displayName: 'Fake Small (classroom)',
      grants: { roles: ['staff'], userIds: [] },
    });
    expect(Number(model!.inputPricePerMillion)).toBe(0.15);
    expect(Number(model!.outputPricePerMillion)).toBe(0.6);

    // Prices read "$0.15 / $0.60 per 1M tokens"; the audit log lists the edited fields before → after.
    await page.goto(`${app.url}/admin/models`);
    expect(await page.getByRole('table').textContent()).toContain('$0.15 / $0.60 per 1M tokens');
    await page.goto(`${app.url}/admin/audit?action=models.update`);
    const audit = (await page.getByRole('table').textContent()) ?? '';
    expect(audit).toContain('displayName: fake-small → Fake Small (classroom)');
    expect(audit).toMatch(/outputPricePerMillion: \S+ → 0\.6/);
    expect(audit).not.toContain('modelId:');
    expect(errors).toEqual([]);
    await page.close();
  });
});
