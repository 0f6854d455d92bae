/**
 * Chat and compare as one screen (issue 15.7) in a browser: the page itself never scrolls on /chat and
 * /compare, the message list does; conversation search filters while typing; a reopened comparison opens
 * at its latest turn; saved comparisons are renamed and deleted from the rail.
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
import { signUpCookie } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

if (browserSkipReason) console.warn(browserSkipReason);

/** An answer taller than any screen. */
const LONG = Array.from({ length: 60 }, (_, i) => `Paragraph ${i + 1} of a long answer.\n\n`);

/** Whether the document scrolls, and whether the element holding `selector` scrolls (its nearest scroller). */
function scrolling(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const doc = document.scrollingElement!;
    let el = document.querySelector(sel) as HTMLElement | null;
    while (el && !(getComputedStyle(el).overflowY === 'auto' && el.scrollHeight > el.clientHeight))
      el = el.parentElement;
    return {
      pageScrolls: doc.scrollHeight > window.innerHeight,
      listScrolls: el !== null && el !== document.body && el !== document.documentElement,
      atBottom: el ? Math.abs(el.scrollHeight - el.clientHeight - el.scrollTop) < 4 : false,
    };
  }, selector);
}

describe.skipIf(browserSkipReason !== null)('chat and compare as one screen', () => {
  let app: TestApp;
  const fakes: FakeUpstream[] = [];
  let browser: TestBrowser;
  let page: Page;
  let record: PageRecord;
  let comparisonId = '';

  beforeAll(async () => {
    app = await startTestApp({ web: true });
    for (const name of ['Alpha', 'Beta']) {
      const fake = await startFakeUpstream('openai-compatible');
      fakes.push(fake);
      await app.services.models.create(app.services.systemCtx(), {
        provider: 'openai-compatible',
        modelId: `fake-${name.toLowerCase()}`,
        displayName: `${name} model`,
        baseUrl: fake.baseURL,
      });
    }
    browser = await launchBrowser();
    const session = await signUpCookie(app, 'teacher@district.example');
    await browser.context.addCookies([{ ...session, url: app.url }]);
    page = await browser.newPage();
    record = recordPage(page);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all(fakes.map((f) => f.close()));
    await app?.close();
  });

  async function ask(text: string, answer: string[]) {
    fakes[0]!.script({ chunks: answer });
    await page.goto(`${app.url}/chat`);
    await waitForHydration(page);
    await page.locator('#chat-input').fill(text);
    await page.locator('#chat-input').press('Enter');
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    await page.getByRole('region', { name: 'Messages' }).getByText(answer.at(-1)!.trim()).waitFor();
  }

  it('scrolls the message list, never the page, on /chat at desktop and phone width', async () => {
    await ask('Tell me about volcanoes', LONG);
    expect(await scrolling(page, '[data-role="assistant"]')).toMatchObject({
      pageScrolls: false,
      listScrolls: true,
    });
    await page.setViewportSize({ width: 390, height: 700 });
    expect(await scrolling(page, '[data-role="assistant"]')).toMatchObject({
      pageScrolls: false,
      listScrolls: true,
    });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('filters conversations while typing, without pressing Enter', async () => {
    await ask('What does photosynthesis make?', ['Sugar.']);
    const list = page.getByRole('navigation', { name: 'Conversations' });
    await list.getByRole('link', { name: /volcanoes/i }).waitFor();
    await page.getByLabel('Search conversations').pressSequentially('volc');
    await page.waitForURL(/\?q=volc$/);
    await expect.poll(() => list.getByRole('link', { name: /photosynthesis/i }).count()).toBe(0);
    expect(await list.getByRole('link', { name: /volcanoes/i }).count()).toBe(1);
    // Typing went on in the box: focus stayed there through the filtering.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('conversation-search');
  });

  it('opens a saved comparison at its latest turn, with the page not scrolling', async () => {
    for (const f of fakes) f.script({ chunks: LONG });
    await page.goto(`${app.url}/compare`);
    await waitForHydration(page);
    const models = (await app.services.models.list(app.services.systemCtx())).map((m) => m.id);
    comparisonId = await page.evaluate(async (modelIds) => {
      const post = (url: string, body: unknown) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const first = await post('/api/comparisons', { prompt: 'Describe the water cycle', modelIds });
      await first.text();
      const id = first.headers.get('x-comparison-id')!;
      await (await post(`/api/comparisons/${id}/turns`, { prompt: 'Now for children' })).text();
      return id;
    }, models);
    await page.goto(`${app.url}/compare/${comparisonId}`);
    await waitForHydration(page);
    await page.getByText('Now for children').first().waitFor();
    await expect
      .poll(() => scrolling(page, 'ol > li:last-child'))
      .toMatchObject({ pageScrolls: false, listScrolls: true, atBottom: true });
  });

  it('renames and deletes a saved comparison from the rail', async () => {
    const rail = page.getByRole('navigation', { name: 'Saved comparisons' });
    await rail.getByRole('button', { name: 'Rename “Describe the water cycle”' }).click();
    await page.getByLabel('Title').fill('Water cycle, two ways');
    await page.getByRole('button', { name: 'Save' }).click();
    await rail.getByRole('link', { name: /Water cycle, two ways/ }).waitFor();
    expect(
      (await app.services.compare.list({ ...app.services.systemCtx(), actor: await actorOf() }))[0]?.title,
    ).toBe('Water cycle, two ways');
    await rail.getByRole('button', { name: 'Delete “Water cycle, two ways”' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(`${app.url}/compare`);
    await rail.getByText('Your comparisons will appear here.').waitFor();
    expect(record.consoleErrors).toEqual([]);
  });

  async function actorOf() {
    const user = await app.services.users.findByEmail(app.services.systemCtx(), 'teacher@district.example');
    return (await app.services.users.actorFor(app.database.db, user!.id))!;
  }
});
