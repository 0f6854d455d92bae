import { Hono } from 'hono';
import { HonoRequest } from 'hono/request';
import { describe, expect, it } from 'vitest';
import { installInputNormalization, normalizeFormRequest } from './normalize-input';

installInputNormalization();

/** A plain Hono app (not ours): the readers are normalising on every request of the process. */
const app = new Hono();
app.get('/items/:name', (c) =>
  c.json({ param: c.req.param('name'), params: c.req.param(), q: c.req.query('q'), qs: c.req.queries('q') }),
);
app.post('/echo', async (c) => {
  const first = await c.req.json();
  const second = await c.req.json();
  return c.json({ first, same: first === second });
});

describe('installInputNormalization', () => {
  it('normalises path parameters, query values and repeated query values', async () => {
    const res = await app.request('/items/a%00b?q=c%00d&q=e%CC%81x');
    expect(await res.json()).toEqual({
      param: 'ab',
      params: { name: 'ab' },
      q: 'cd',
      qs: ['cd', '\u00e9x'],
    });
  });

  it('normalises a JSON body once and hands every reader the same value', async () => {
    const res = await app.request('/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'a\u0000b', nested: ['\ud800', 'e\u0301'] }),
    });
    expect(await res.json()).toEqual({ first: { title: 'ab', nested: ['\ufffd', '\u00e9'] }, same: true });
  });

  it('is installed once: a second call does not wrap the readers again', () => {
    const readers = ['json', 'query', 'queries', 'param'].map(
      (name) => (HonoRequest.prototype as unknown as Record<string, unknown>)[name],
    );
    installInputNormalization();
    expect(
      ['json', 'query', 'queries', 'param'].map(
        (name) => (HonoRequest.prototype as unknown as Record<string, unknown>)[name],
      ),
    ).toEqual(readers);
  });
});

describe('normalizeFormRequest (the Remix mount)', () => {
  it("normalises a page's query, which its loader reads from the URL", async () => {
    const request = await normalizeFormRequest(new Request('http://x.example/admin/users?q=%00smoke&page=2'));
    const url = new URL(request.url);
    expect([url.pathname, url.searchParams.get('q'), url.searchParams.get('page')]).toEqual([
      '/admin/users',
      'smoke',
      '2',
    ]);
  });

  it("normalises a form post's query and fields together", async () => {
    const request = await normalizeFormRequest(
      new Request('http://x.example/chat?index&tag=a%00b', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'title=New%00chat&note=e%CC%81',
      }),
    );
    expect(new URL(request.url).searchParams.get('tag')).toBe('ab');
    const form = new URLSearchParams(await request.text());
    expect([form.get('title'), form.get('note')]).toEqual(['Newchat', '\u00e9']);
  });

  it('hands back the request itself when nothing needs normalising', async () => {
    const request = new Request('http://x.example/chat?q=plain');
    expect(await normalizeFormRequest(request)).toBe(request);
  });
});
