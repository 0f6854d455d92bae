/**
 * Debian's Chromium driven by playwright-core, for browser tests. Each browser gets a fresh profile in a
 * temp folder and no background traffic (no sync, component updates or field trials), so whatever the
 * page requests is what the app asked for.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or null when they can. Only a missing Chromium is a reason. */
export const browserSkipReason: string | null = existsSync(CHROMIUM_PATH)
  ? null
  : `browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, as .ci/run does)`;

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** A persistent context on a throwaway user-data-dir (removed on close). */
export async function launchBrowser(
  options: {
    colorScheme?: 'light' | 'dark';
    viewport?: { width: number; height: number };
    /** A browser elsewhere than the server (hydration must not depend on it). */
    timezoneId?: string;
    locale?: string;
  } = {},
): Promise<TestBrowser> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'aist-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ARGS,
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.viewport ?? { width: 1280, height: 800 },
    timezoneId: options.timezoneId,
    locale: options.locale,
  });
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** What a page did that a test should look at: every request URL, console errors and CSP reports. */
export interface PageRecord {
  requests: string[];
  consoleErrors: string[];
  cspViolations: string[];
}

export function recordPage(page: Page): PageRecord {
  const record: PageRecord = { requests: [], consoleErrors: [], cspViolations: [] };
  page.on('request', (request) => record.requests.push(request.url()));
  page.on('console', (message) => {
    const text = message.text();
    if (text.includes('Content Security Policy')) record.cspViolations.push(text);
    if (message.type() === 'error') record.consoleErrors.push(text);
  });
  page.on('pageerror', (error) => record.consoleErrors.push(`uncaught: ${error.message}`));
  return record;
}

/** Requests that went anywhere but `origin` (data: URLs never leave the machine). */
export function foreignRequests(record: PageRecord, origin: string): string[] {
  return record.requests.filter((url) => !url.startsWith('data:') && new URL(url).origin !== origin);
}

/** Resolves once React has hydrated the document (root Layout sets data-hydrated in an effect). */
export async function waitForHydration(page: Page, timeout = 15_000): Promise<void> {
  await page.waitForSelector('html[data-hydrated="true"]', { timeout });
}

/** Saves a screenshot to SCREENSHOT_DIR when set (for looking at pages by eye), else does nothing. */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<void> {
  const dir = process.env.SCREENSHOT_DIR;
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: options.fullPage ?? true });
}
