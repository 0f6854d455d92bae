/**
 * The decision log in a browser (issue 13): capture a decision through the form (evidence, two alternatives
 * and a consulted person added inline), find it by a word from its reasoning, open its graph and click —
 * and press Enter — through to linked nodes, download its Markdown package, record a later decision that
 * supersedes it and see its status flip; a student sees no Decisions entry and gets 403.
 * Set SCREENSHOT_DIR to keep screenshots.
 */
import { readFileSync } from 'node:fs';
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
import { signUpCookie, usersForEachRole } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

if (browserSkipReason) console.warn(browserSkipReason);

const TITLE = 'Move the high-school start time to 8:45';

function expectNoErrors(record: PageRecord) {
  expect(record.cspViolations).toEqual([]);
  expect(record.consoleErrors).toEqual([]);
}

describe.skipIf(browserSkipReason !== null)('decision log in a browser', () => {
  let app: TestApp;
  let browser: TestBrowser;
  let studentCookie: string;

  beforeAll(async () => {
    app = await startTestApp({ web: true });
    browser = await launchBrowser();
    const cookie = await signUpCookie(app, 'secretary@lakeside.example'); // first account: administrator
    await browser.context.addCookies([{ ...cookie, url: app.url }]);
    studentCookie = (await usersForEachRole(app)).cookies.student;
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('captures through the form, finds it by a word, walks the graph, downloads it, supersedes it', async () => {
    const page = await browser.newPage();
    const record = recordPage(page);
    await page.goto(`${app.url}/decisions`);
    await waitForHydration(page);
    await page
      .getByRole('navigation', { name: 'Primary' })
      .getByRole('link', { name: 'Decisions' })
      .waitFor();
    await page.getByRole('link', { name: 'Record a decision' }).click();
    await page.getByRole('heading', { level: 1, name: 'Record a decision' }).waitFor();
    await waitForHydration(page);

    // Missing "Decided by": the browser holds the form back (required field) and nothing is saved.
    await page.locator('input[name="decision"]').fill(TITLE);
    await page.getByRole('button', { name: 'Save decision' }).click();
    expect(await page.locator('input[name="decidedBy"]:invalid').count()).toBe(1);
    expect(new URL(page.url()).pathname).toBe('/decisions/new');

    await page.locator('input[name="decision"]').fill(TITLE);
    await page.locator('input[name="decidedBy"]').fill('School Board');
    await page
      .getByLabel('Reasoning')
      .fill('Adolescent circadian research and our attendance data favour a later start.');
    await page
      .getByRole('textbox', { name: 'Evidence 1', exact: true })
      .fill('First-period attendance is 12% lower');
    await page.getByRole('textbox', { name: 'Alternatives considered 1', exact: true }).fill('Keep 7:50');
    await page.getByRole('button', { name: 'Add alternative' }).click();
    await page
      .getByRole('textbox', { name: 'Alternatives considered 2', exact: true })
      .fill('Stagger by grade');
    await page
      .getByRole('textbox', { name: 'Consulted 1', exact: true })
      .fill('Dana Whitfield <dana@lakeside.example>');
    await screenshot(page, 'decisions-capture');
    await page.getByRole('button', { name: 'Save decision' }).click();
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    const decisionUrl = page.url();
    for (const text of [
      'School Board',
      'Keep 7:50',
      'Stagger by grade',
      'First-period attendance is 12% lower',
    ])
      expect(await page.getByRole('link', { name: text }).first().isVisible()).toBe(true);

    // Find it by a word from the reasoning.
    await page.goto(`${app.url}/decisions`);
    await waitForHydration(page);
    await page.getByRole('searchbox', { name: 'Search' }).fill('circadian');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/q=circadian/);
    const results = page.getByRole('region', { name: 'Results' });
    await results.getByRole('link', { name: TITLE }).click();
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await waitForHydration(page);

    // The graph: click a node to open it …
    const graph = page.getByTestId('decision-graph');
    await graph.locator('[data-graph-node="Dana Whitfield"]').waitFor();
    await screenshot(page, 'decisions-graph');
    await graph.locator('[data-graph-node="Dana Whitfield"]').click();
    await page.getByRole('heading', { level: 1, name: 'Dana Whitfield' }).waitFor();
    expect(await page.getByText('dana@lakeside.example').first().isVisible()).toBe(true);
    // … and from the person's graph, reach a node with the keyboard (focus + Enter).
    await waitForHydration(page);
    const back = page.getByTestId('decision-graph').locator(`[data-graph-node="${TITLE}"]`);
    await back.waitFor();
    await back.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    expect(page.url()).toBe(decisionUrl);

    // The package as a Markdown download.
    await waitForHydration(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download as Markdown' }).click(),
    ]);
    const markdown = readFileSync((await download.path())!, 'utf8');
    expect(markdown).toContain(`# ${TITLE}`);
    expect(markdown).toContain('## Alternatives considered');
    expect(markdown).toContain('- Dana Whitfield (dana@lakeside.example)');

    // A later decision supersedes it; its status flips.
    await page.getByRole('link', { name: 'Record a decision that supersedes this' }).click();
    await page.getByRole('heading', { level: 1, name: 'Record a decision' }).waitFor();
    await waitForHydration(page);
    expect(await page.getByLabel('Supersedes').inputValue()).not.toBe('');
    await page.locator('input[name="decision"]').fill('Move the start time to 8:30 instead');
    await page.locator('input[name="decidedBy"]').fill('school board');
    await page.getByRole('button', { name: 'Save decision' }).click();
    await page.getByRole('heading', { level: 1, name: 'Move the start time to 8:30 instead' }).waitFor();
    await page.getByRole('link', { name: TITLE }).first().click();
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    expect(await page.locator('header').getByText('superseded', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByText(/Superseded by “Move the start time to 8:30 instead”/).isVisible()).toBe(
      true,
    );
    expectNoErrors(record);
  });

  it('shows a student no Decisions entry and refuses the page', async () => {
    const home = await app.fetch('/', { headers: { cookie: studentCookie } });
    expect(await home.text()).not.toContain('href="/decisions"');
    const res = await app.fetch('/decisions', { headers: { cookie: studentCookie } });
    expect(res.status).toBe(403);
    const pkg = await app.fetch('/decisions/00000000-0000-4000-8000-000000000000/package.md', {
      headers: { cookie: studentCookie },
    });
    expect(pkg.status).toBe(403);
  });
});
