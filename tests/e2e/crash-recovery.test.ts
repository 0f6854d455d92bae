/**
 * The probe's kill -9 (issue 9.5), end to end: the real server on its embedded database streams an answer to
 * a person in Chromium and is killed mid-answer. Started again, it marks the answer interrupted with the words
 * that had arrived and an estimate billed; the page shows them with the reason, and Regenerate answers again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchBrowser, type TestBrowser, waitForHydration } from '../helpers/browser';
import { type FakeUpstream, startFakeUpstream } from '../helpers/fake-upstreams';
import { freePort, runCli, type Spawned, spawnEntry, waitForHttp } from '../helpers/processes';

if (browserSkipReason) console.warn(browserSkipReason);

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'aist-crash-'));
const EMAIL = 'ada@district.example';
const PASSWORD = 'Correct-horse-battery-42';
const WORDS = Array.from({ length: 40 }, (_, i) => ` word${i}`);

describe.skipIf(browserSkipReason !== null)('a server killed mid-answer', () => {
  let fake: FakeUpstream;
  let browser: TestBrowser;
  let page: Page;
  let server: Spawned | undefined;
  let port: number;
  let base: string;

  const start = async () => {
    server = spawnEntry('api/server.ts', { NODE_ENV: 'production', DATA_DIR: dataDir, PORT: String(port) });
    await waitForHttp(`${base}/api/ready`, server);
  };
  const assistantText = () => page.locator('[data-role="assistant"] .md').last().textContent();

  beforeAll(async () => {
    fake = await startFakeUpstream('openai-compatible');
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const cli = (...args: string[]) => runCli(args, { DATA_DIR: dataDir });
    expect(cli('users:create', '--email', EMAIL, '--password', PASSWORD).status).toBe(0);
    const add = cli(
      'models:add',
      '--provider',
      'openai-compatible',
      '--model',
      'fake-large',
      '--name',
      'Fake Large',
      '--base-url',
      fake.baseURL,
      '--input-price',
      '1',
      '--output-price',
      '2',
    );
    expect(add.stderr).toBe('');
    await start();
    browser = await launchBrowser();
    page = await browser.newPage();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop('SIGKILL');
    await fake?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the words that had arrived as an interrupted answer, billed as an estimate, and regenerates', async () => {
    await page.goto(`${base}/auth/signin`);
    await waitForHydration(page);
    await page.locator('input[name="email"]').fill(EMAIL);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/chat/);
    await waitForHydration(page);

    // Twelve words arrive over ~4 s (past the 3 s partial save), then the provider goes quiet.
    fake.script({ chunks: WORDS, interChunkDelayMs: 350, hangAfterChunks: 12 });
    const input = page.locator('#chat-input');
    await input.fill('Write a long answer.');
    await input.press('Enter');
    await expect.poll(assistantText, { timeout: 20_000 }).toContain('word11');
    const seen = (await assistantText()) ?? '';

    await server!.stop('SIGKILL');
    await start();

    // As the person would: back to chat, where the conversation is listed, and open it.
    await page.goto(`${base}/chat`);
    await waitForHydration(page);
    await page
      .getByRole('navigation', { name: 'Conversations' })
      .first()
      .getByRole('link', { name: /long answer/ })
      .first()
      .click();
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    const messages = page.getByRole('region', { name: 'Messages' });
    await messages.getByText(/interrupted because the server stopped/).waitFor({ timeout: 15_000 });
    // What the partial saves kept: at least the words up to the last save, never words that never came.
    const kept = (await assistantText()) ?? '';
    expect(kept).toContain('word0');
    expect(WORDS.slice(0, 12).join('').trim().startsWith(kept.trim())).toBe(true);
    expect(seen).toContain(kept.trim());
    expect(kept).not.toContain('word12');
    // No usage came from the provider: the footer shows the server's estimate, marked as such.
    await messages
      .getByText(/^≈ [\d,]+ tokens/)
      .first()
      .waitFor({ timeout: 10_000 });

    fake.script({ chunks: ['A fresh', ' answer', ' after the restart.'] });
    await page.getByRole('button', { name: 'Regenerate answer' }).last().click();
    await expect.poll(assistantText, { timeout: 20_000 }).toContain('after the restart.');
  });
});
