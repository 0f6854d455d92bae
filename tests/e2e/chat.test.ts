/**
 * Chat and Compare in a real browser against the built app and fake OpenAI-compatible upstreams over HTTP:
 * a person signs up (landing on /chat), watches an answer stream in piece by piece, stops one mid-stream,
 * and compares three models streaming side by side; the comparison is saved. Set SCREENSHOT_DIR to keep
 * screenshots (light, dark, mobile) for a human look.
 */
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparisons } from '../../db/schema/index';
import {
  browserSkipReason,
  launchBrowser,
  type PageRecord,
  recordPage,
  screenshot,
  type TestBrowser,
  waitForHydration,
} from '../helpers/browser';
import { PNG_1PX } from '../helpers/documents';
import { type FakeUpstream, startFakeUpstream } from '../helpers/fake-upstreams';
import { startTestApp, type TestApp } from '../helpers/test-app';

if (browserSkipReason) console.warn(browserSkipReason);

const WORDS =
  'Photosynthesis turns light, water and carbon dioxide into sugar and oxygen inside the leaf'.split(' ');

const viewportShot = (page: Page, name: string) => screenshot(page, name, { fullPage: false });

/** Computed colours of the page and of the last question and answer (backgrounds: first opaque ancestor). */
function messageColours(page: Page) {
  return page.evaluate(() => {
    const background = (el: Element | null): string => {
      for (let e = el; e; e = e.parentElement) {
        const bg = getComputedStyle(e).backgroundColor;
        if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg;
      }
      return getComputedStyle(document.documentElement).backgroundColor;
    };
    const last = (selector: string) => [...document.querySelectorAll(selector)].at(-1)!;
    const answer = last('[data-role="assistant"] .md');
    // The question's bubble: the deepest element of the user message that paints a background.
    const user = last('[data-role="user"]');
    const painted = [...user.querySelectorAll('*')].filter(
      (e) => getComputedStyle(e).backgroundColor !== 'rgba(0, 0, 0, 0)',
    );
    const bubble = painted.find((e) => (e.textContent ?? '').trim().length > 0) ?? user;
    return {
      page: background(document.body),
      answerText: getComputedStyle(answer).color,
      answerBackground: background(answer),
      userText: getComputedStyle(bubble).color,
      userBubble: background(bubble),
    };
  });
}

function rgb(css: string): [number, number, number] {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? []).map(Number);
  return [r!, g!, b!];
}

/** WCAG 2.1 relative luminance and contrast ratio of computed `rgb(…)` colours. */
function luminance(css: string): number {
  const [r, g, b] = rgb(css).map((v) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Samples a locator's text until `done` holds, returning each distinct value seen (in order). */
async function sampleText(page: Page, selector: string, done: (t: string) => boolean, timeoutMs = 20_000) {
  const seen: string[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text =
      (await page
        .locator(selector)
        .last()
        .textContent()
        .catch(() => null)) ?? '';
    if (text && text !== seen.at(-1)) seen.push(text);
    if (done(text)) return seen;
    await page.waitForTimeout(40);
  }
  throw new Error(`timed out; last text: ${seen.at(-1)}`);
}

describe.skipIf(browserSkipReason !== null)('chat and compare in a browser', () => {
  let app: TestApp;
  let browser: TestBrowser;
  let page: Page;
  let record: PageRecord;
  const fakes: FakeUpstream[] = [];

  beforeAll(async () => {
    app = await startTestApp({ web: true });
    for (const name of ['Alpha', 'Beta', 'Gamma']) {
      const fake = await startFakeUpstream('openai-compatible');
      fakes.push(fake);
      await app.services.models.create(app.services.systemCtx(), {
        provider: 'openai-compatible',
        modelId: `fake-${name.toLowerCase()}`,
        displayName: `${name} model`,
        baseUrl: fake.baseURL,
        inputPricePerMillion: '1',
        outputPricePerMillion: '2',
        // Alpha reads images; the others do not (sending them one is refused).
        capabilities: name === 'Alpha' ? ['vision'] : [],
      });
    }
    browser = await launchBrowser();
    page = await browser.newPage();
    record = recordPage(page);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all(fakes.map((f) => f.close()));
    await app?.close();
  });

  it('signs up and lands on chat', async () => {
    await page.goto(`${app.url}/auth/signup`);
    await waitForHydration(page);
    await page.locator('input[name="name"]').fill('Ada Teacher');
    await page.locator('input[name="email"]').fill('ada@district.example');
    await page.locator('input[name="password"]').fill('Correct-horse-battery-42');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${app.url}/chat`);
    await waitForHydration(page);
    // The empty state renders once the model list arrives: wait for it rather than count at once.
    await page.getByRole('heading', { name: 'How can I help today?' }).waitFor();
    expect(await page.getByRole('heading', { name: 'How can I help today?' }).count()).toBe(1);
    expect(
      await page.getByRole('navigation', { name: 'Primary' }).getByRole('link', { name: 'Chat' }).count(),
    ).toBe(1);
    await viewportShot(page, 'chat-empty');
  });

  it('streams an answer in incrementally, then saves it under /chat/:id', async () => {
    // Alpha model is first in the picker (sorted by name).
    fakes[0]!.script({
      chunks: WORDS.map((w, i) => (i ? ` ${w}` : w)),
      firstTokenDelayMs: 100,
      interChunkDelayMs: 120,
      usage: { inputTokens: 12, outputTokens: WORDS.length },
    });
    const input = page.locator('#chat-input');
    await input.fill('How do plants make food?');
    await input.press('Enter');
    const states = await sampleText(page, '[data-role="assistant"] .md', (t) => t.endsWith('leaf'));
    // Seen growing: several partial states, each a prefix of the next, before the whole answer.
    expect(states.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < states.length; i++) expect(states[i]!.startsWith(states[i - 1]!)).toBe(true);
    expect(states[0]!.length).toBeLessThan(states.at(-1)!.length / 2);
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    // The sidebar lists the new conversation and the composer kept the keyboard focus.
    await page
      .getByRole('navigation', { name: 'Conversations' })
      .first()
      .getByRole('link', { name: /plants|How do/ })
      .first()
      .waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('chat-input');
    expect(await page.locator('[data-testid="chat-live-region"]').textContent()).toContain('leaf');
    await viewportShot(page, 'chat-answer-light');
  });

  it('stops an answer mid-stream: the text stops growing and the upstream call is aborted', async () => {
    fakes[0]!.script({
      chunks: Array.from({ length: 80 }, (_, i) => ` word${i}`),
      interChunkDelayMs: 100,
    });
    const input = page.locator('#chat-input');
    await input.fill('Write a very long answer.');
    await input.press('Enter');
    await sampleText(page, '[data-role="assistant"] .md', (t) => t.includes('word3'));
    await page.getByRole('button', { name: 'Stop generating' }).click();
    await expect(fakes[0]!.lastRequest().outcome).resolves.toBe('client-closed');
    const atStop = (await page.locator('[data-role="assistant"] .md').last().textContent()) ?? '';
    await page
      .getByRole('region', { name: 'Messages' })
      .getByText('Stopped', { exact: true })
      .waitFor({ timeout: 10_000 });
    await page.waitForTimeout(600);
    const later = (await page.locator('[data-role="assistant"] .md').last().textContent()) ?? '';
    expect(later).not.toContain('word79');
    expect(later.length).toBeLessThanOrEqual(atStop.length + ' wordNN'.length * 3);
    await expect(page.getByRole('button', { name: 'Send message' }).count()).resolves.toBe(1);
    // The provider never sent its usage: the footer shows the server's estimate, marked as such.
    await page
      .getByRole('region', { name: 'Messages' })
      .getByText(/^≈ [\d,]+ tokens/)
      .waitFor({ timeout: 5_000 });
  });

  it('shows a failed answer with a Retry button that answers again', async () => {
    // Two failures: the server retries once before any text arrives.
    const down = { chunks: [], fail: { status: 500, message: 'upstream is down' } };
    fakes[0]!.enqueue(down, down);
    fakes[0]!.script({ chunks: ['Second', ' try', ' worked.'] });
    const input = page.locator('#chat-input');
    await input.fill('Will this fail?');
    await input.press('Enter');
    const alert = page.getByRole('alert').filter({ hasText: 'The answer failed' });
    await alert.waitFor();
    await alert.getByRole('button', { name: 'Retry' }).click();
    await page.locator('[data-role="assistant"] .md').last().getByText('Second try worked.').waitFor();
    expect(await alert.count()).toBe(0);
  });

  it('attaches a document: a chip in the message, its text sent to the model', async () => {
    fakes[0]!.script({ chunks: ['The notes are about chloroplasts.'] });
    await page.locator('[data-testid="attach-input"]').setInputFiles({
      name: 'notes.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from('# Lesson\nPhotosynthesis happens in chloroplasts.\n'),
    });
    await page.getByRole('list', { name: 'Attachments' }).getByText('notes.md').waitFor();
    const input = page.locator('#chat-input');
    await input.fill('Summarise the notes');
    // The chip shows while the file uploads; sending waits until it is stored and read.
    await expect.poll(() => page.getByRole('button', { name: 'Send message' }).isEnabled()).toBe(true);
    await input.press('Enter');
    await page
      .getByRole('region', { name: 'Messages' })
      .getByText('The notes are about chloroplasts.')
      .waitFor();
    const user = page.locator('[data-role="user"]').last();
    expect(await user.getByText('notes.md').count()).toBe(1);
    // The chip downloads the stored file.
    const link = user.getByRole('link', { name: 'notes.md' });
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/api\/attachments\/[0-9a-f-]{36}$/);
    const file = await page.evaluate(async (url) => (await fetch(url)).text(), href!);
    expect(file).toContain('Photosynthesis happens in chloroplasts.');
    expect(await user.textContent()).not.toContain('happens in chloroplasts');
    expect(JSON.stringify(fakes[0]!.lastRequest().body)).toContain('Photosynthesis happens in chloroplasts.');
  });

  it('attaches an image: shown in the message from the server, sent to the model as the image', async () => {
    fakes[0]!.script({ chunks: ['A tiny picture.'] });
    await page.locator('[data-testid="attach-input"]').setInputFiles({
      name: 'dot.png',
      mimeType: 'image/png',
      buffer: Buffer.from(PNG_1PX),
    });
    await page.getByRole('list', { name: 'Attachments' }).getByText('dot.png').waitFor();
    const input = page.locator('#chat-input');
    await input.fill('What is this?');
    // A model without vision: sending is refused on the page with the reason, and nothing goes out.
    const requestsBefore = fakes[1]!.requests.length;
    await page.getByLabel('Model', { exact: true }).selectOption({ label: 'Beta model' });
    await page.getByRole('alert').getByText('Beta model does not read images').waitFor();
    const send = page.getByRole('button', { name: 'Send message' });
    expect(await send.isDisabled()).toBe(true);
    expect(await send.getAttribute('title')).toMatch(/pick a model with vision, or remove the image/);
    await input.press('Enter');
    expect(fakes[1]!.requests.length).toBe(requestsBefore);
    await page.getByLabel('Model', { exact: true }).selectOption({ label: 'Alpha model · vision' });
    expect(await page.getByText('does not read images').count()).toBe(0);
    await input.press('Enter');
    await page.getByRole('region', { name: 'Messages' }).getByText('A tiny picture.').waitFor();
    const img = page.locator('[data-role="user"]').last().getByRole('img', { name: 'dot.png' });
    expect(await img.getAttribute('src')).toMatch(/^\/api\/attachments\/[0-9a-f-]{36}$/);
    await expect
      .poll(() =>
        img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth),
      )
      .toBe(1);
    expect(JSON.stringify(fakes[0]!.lastRequest().body)).toContain(
      `data:image/png;base64,${Buffer.from(PNG_1PX).toString('base64')}`,
    );
  });

  it('looks right in dark mode and at phone width', async () => {
    const light = await messageColours(page);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
    const dark = await messageColours(page);
    // The theme reaches the messages (not only the page background), and their text stays readable.
    expect(luminance(dark.page)).toBeLessThan(luminance(light.page));
    expect(dark.userBubble).not.toBe(light.userBubble);
    expect(dark.answerText).not.toBe(light.answerText);
    for (const c of [light, dark]) {
      expect(contrast(c.answerText, c.answerBackground)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(c.userText, c.userBubble)).toBeGreaterThanOrEqual(4.5);
    }
    await viewportShot(page, 'chat-answer-dark');
    await page.setViewportSize({ width: 390, height: 844 });
    await viewportShot(page, 'chat-mobile');
    await page.getByRole('button', { name: 'Show conversations' }).click();
    await page.getByRole('dialog', { name: 'Conversations' }).waitFor();
    await viewportShot(page, 'chat-mobile-drawer');
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('compares three models streaming at once and saves the comparison', async () => {
    for (const [i, f] of fakes.entries()) {
      f.script({
        chunks: Array.from({ length: 12 }, (_, k) => `${['Alpha', 'Beta', 'Gamma'][i]}${k} `),
        firstTokenDelayMs: 50,
        interChunkDelayMs: 120,
        usage: { inputTokens: 10, outputTokens: 12 },
      });
    }
    await page.goto(`${app.url}/compare`);
    await waitForHydration(page);
    await page.getByText('Gamma model', { exact: true }).click(); // Alpha and Beta are preselected
    const input = page.getByLabel('Prompt for every model');
    await input.fill('Name three fruits.');
    await input.press('Enter');
    // At one moment every column has text while still streaming: they run in parallel.
    const deadline = Date.now() + 15_000;
    let together = false;
    while (!together && Date.now() < deadline) {
      const texts = await page.locator('[data-testid="compare-answer"]').allTextContents();
      const streaming = await page.locator('section[aria-busy="true"]').count();
      together = texts.length === 3 && texts.every((t) => t.length > 0) && streaming === 3;
      if (!together) await page.waitForTimeout(40);
    }
    expect(together).toBe(true);
    await viewportShot(page, 'compare-streaming');
    await page.waitForURL(/\/compare\/[0-9a-f-]{36}$/, { timeout: 20_000 });
    const id = page.url().split('/').at(-1)!;
    await page
      .getByRole('navigation', { name: 'Saved comparisons' })
      .getByText('Name three fruits.')
      .waitFor();
    const texts = await page.locator('[data-testid="compare-answer"]').allTextContents();
    expect(texts.map((t) => t.trim().split(' ')[0])).toEqual(['Alpha0', 'Beta0', 'Gamma0']);
    const [saved] = await app.database.db.select().from(comparisons).where(eq(comparisons.id, id));
    expect(saved?.modelNames).toEqual(['Alpha model', 'Beta model', 'Gamma model']);
    await viewportShot(page, 'compare-done-light');
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
    await viewportShot(page, 'compare-done-dark');
    await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'light'));
  });

  it('broke no CSP rule and logged no error', () => {
    expect(record.cspViolations).toEqual([]);
    expect(record.consoleErrors).toEqual([]);
  });
});
