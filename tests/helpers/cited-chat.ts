/**
 * In a browser on /chat: attach one knowledge repository from the composer's picker, ask a question the fake
 * upstream answers with `answer` (citing [1]), and wait for the citation. Returns the citation link and the
 * system prompt the model was given (the numbered passages), for the test's own assertions.
 */
import type { Page } from 'playwright-core';
import { waitForHydration } from './browser';
import type { FakeUpstream } from './fake-upstreams';

export async function askWithKnowledge(
  page: Page,
  fake: FakeUpstream,
  ask: { appUrl: string; repository: RegExp; question: string; answer: string[] },
) {
  await page.goto(`${ask.appUrl}/chat`);
  await waitForHydration(page);
  await page.getByRole('button', { name: 'Attach knowledge' }).click();
  await page.getByRole('checkbox', { name: ask.repository }).check();
  await page.getByRole('button', { name: 'Use these' }).click();
  await page.getByRole('button', { name: 'Knowledge: 1 attached' }).waitFor();

  fake.script({ chunks: ask.answer });
  await page.getByRole('textbox', { name: 'Message' }).fill(ask.question);
  await page.keyboard.press('Enter');
  const citation = page.locator('[data-role="assistant"] .md a', { hasText: '[1]' });
  await citation.waitFor({ timeout: 20_000 });
  const system = (
    fake.lastRequest().body as { messages: Array<{ role: string; content: string }> }
  ).messages.find((m) => m.role === 'system')!.content;
  return { citation, system };
}
