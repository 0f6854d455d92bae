/** /api/docs is titled with the product name an administrator set (issue 15.6), escaped as HTML. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

describe('API reference title', () => {
  it('follows app.name', async () => {
    const title = async () => /<title>(.*)<\/title>/.exec(await (await app.fetch('/api/docs')).text())?.[1];
    expect(await title()).toBe('AI Studio API reference');
    await app.services.settings.set(app.services.systemCtx(), { key: 'app.name', value: 'Lakeside <AI>' });
    expect(await title()).toBe('Lakeside &#60;AI&#62; API reference');
  });
});
