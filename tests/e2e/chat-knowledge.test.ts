/**
 * Cited answers in a browser: a repository with a two-page PDF (indexed by the real job queue), attached
 * to a new conversation from the composer's knowledge picker; the question is answered by a fake
 * OpenAI-compatible upstream that cites [1]; the citation links to the PDF at the passage's page and opens
 * it; the sources survive a reload. A long document attached to a message is indexed for the chat: its chip
 * shows the indexing, the send waits for it, and the answer cites it. Set SCREENSHOT_DIR to keep screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserSkipReason,
  launchBrowser,
  recordPage,
  screenshot,
  type TestBrowser,
  waitForHydration,
} from '../helpers/browser';
import { askWithKnowledge } from '../helpers/cited-chat';
import { makePdf } from '../helpers/documents';
import { type FakeUpstream, startFakeUpstream } from '../helpers/fake-upstreams';
import { signUpCookie } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

if (browserSkipReason) console.warn(browserSkipReason);

describe.skipIf(browserSkipReason !== null)('cited answers in a browser', () => {
  let app: TestApp;
  let browser: TestBrowser;
  let fake: FakeUpstream;
  let cookie: string;
  let repoId: string;
  let itemId: string;

  beforeAll(async () => {
    app = await startTestApp({ web: true, jobs: 'work' });
    fake = await startFakeUpstream('openai-compatible');
    await app.services.models.create(app.services.systemCtx(), {
      provider: 'openai-compatible',
      modelId: 'fake-cite',
      displayName: 'Citing model',
      baseUrl: fake.baseURL,
      inputPricePerMillion: '1',
      outputPricePerMillion: '2',
    });
    const pair = await signUpCookie(app, 'head@lakeside.example');
    cookie = `${pair.name}=${pair.value}`;
    browser = await launchBrowser();
    await browser.context.addCookies([{ ...pair, url: app.url }]);

    const headers = { cookie, origin: app.url };
    const repo = await app.fetch('/api/v1/repositories', {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'School policies' }),
    });
    repoId = ((await repo.json()) as { id: string }).id;
    const form = new FormData();
    form.set(
      'file',
      new Blob([
        makePdf(
          'Welcome to Lakeside School. Our values are kindness and curiosity.',
          'Fire drills happen on the first Monday of every month at ten o clock.',
        ) as Uint8Array<ArrayBuffer>,
      ]),
      'policies.pdf',
    );
    const added = await app.fetch(`/api/v1/repositories/${repoId}/items`, {
      method: 'POST',
      body: form,
      headers,
    });
    itemId = ((await added.json()) as { id: string }).id;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const item = await app.services.knowledge.getItem(app.services.systemCtx(), repoId, itemId);
      if (item.status === 'ready') break;
      if (item.status === 'failed' || Date.now() > deadline) throw new Error(`item ${item.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await fake?.close();
    await app?.close();
  });

  it('attaches a repository, answers with a citation that opens the source at its page', async () => {
    const page = await browser.newPage();
    const record = recordPage(page);
    // The model is given the passage with its number.
    const { citation, system } = await askWithKnowledge(page, fake, {
      appUrl: app.url,
      repository: /School policies/,
      question: 'When are the fire drills?',
      answer: ['Fire drills are on the first Monday', ' of each month [1].'],
    });
    expect(system).toContain('[1] policies.pdf (page 2)');
    expect(system).toContain('Fire drills happen on the first Monday');

    const href = `/api/v1/repositories/${repoId}/items/${itemId}/file#page=2`;
    expect(await citation.getAttribute('href')).toBe(href);
    const sources = page.getByRole('region', { name: 'Sources' });
    expect(await sources.textContent()).toContain('policies.pdf — page 2');
    await screenshot(page, 'chat-cited-answer');

    const [opened] = await Promise.all([page.waitForEvent('popup'), citation.click()]);
    await opened.waitForURL(`${app.url}${href}`);
    // What that address serves (with the page's session): the PDF itself, shown in the browser.
    const file = await page.request.get(`${app.url}${href}`);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toBe('application/pdf');
    expect(file.headers()['content-disposition']).toMatch(/^inline; filename="policies.pdf"/);
    await opened.close();

    // The sources were saved with the answer: they are there after a reload.
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    await page.reload();
    await waitForHydration(page);
    await page.locator('[data-role="assistant"] .md a', { hasText: '[1]' }).waitFor();
    expect(await page.getByRole('button', { name: 'Knowledge: 1 attached' }).count()).toBe(1);
    expect(record.cspViolations).toEqual([]);
    expect(record.consoleErrors).toEqual([]);
  });

  it('indexes a long attached document for the chat and cites it', async () => {
    const sys = app.services.systemCtx();
    await app.services.settings.set(sys, { key: 'knowledge.chat_attachment_token_limit', value: '300' });
    // Room for one passage: what reaches the model is the best passage, not the document.
    await app.services.settings.set(sys, { key: 'knowledge.chat_token_budget', value: '700' });
    const long = [
      ...Array.from({ length: 160 }, (_, i) => `Clause ${i}: routine rule ${i} of the staff handbook.`),
      'Parents may collect pupils early by signing the blue book at reception.',
    ].join('\n\n');
    const page = await browser.newPage();
    const record = recordPage(page);
    await page.goto(`${app.url}/chat`);
    await waitForHydration(page);
    await page.locator('[data-testid="attach-input"]').setInputFiles({
      name: 'handbook.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from(long),
    });
    const chips = page.getByRole('list', { name: 'Attachments' });
    await chips.getByText('handbook.md').waitFor();
    // While the pipeline runs the chip says so; then it says the document is indexed and cited.
    await chips.getByText('(indexed, cited)').waitFor({ timeout: 60_000 });
    fake.script({ chunks: ['Sign the blue book at reception [1].'] });
    await page.getByRole('textbox', { name: 'Message' }).fill('How do parents collect pupils early?');
    await page.keyboard.press('Enter');
    const citation = page.locator('[data-role="assistant"] .md a', { hasText: '[1]' });
    await citation.waitFor({ timeout: 20_000 });
    const body = fake.lastRequest().body as { messages: Array<{ role: string; content: unknown }> };
    const system = body.messages.find((m) => m.role === 'system')!.content as string;
    expect(system).toContain('[1] handbook.md');
    expect(system).toContain('signing the blue book');
    // The document itself is not in the prompt: only its note and the retrieved passages.
    expect(JSON.stringify(body)).not.toContain('Clause 3: routine rule 3');
    expect(await page.getByRole('region', { name: 'Sources' }).textContent()).toContain('handbook.md');
    expect(record.consoleErrors).toEqual([]);
  });
});
