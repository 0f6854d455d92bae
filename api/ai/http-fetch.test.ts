import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFetch } from './http-fetch';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let handler: Handler = (_q, res) => res.end();
let server: Server;
let base = '';
const closed: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => handler(req, res, body));
    res.on('close', () => closed.push(req.url ?? ''));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const reader = (res: Response) => res.body!.pipeThrough(new TextDecoderStream()).getReader();

describe('httpFetch', () => {
  it('sends method, headers and body, and answers status, headers and body', async () => {
    handler = (req, res, body) => {
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.writeHead(201, { 'content-type': 'application/json', 'x-echo': String(req.headers['x-key']) });
      res.end(JSON.stringify({ method: req.method, body, length: req.headers['content-length'] }));
    };
    const res = await httpFetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'x-key': 'k1', 'content-type': 'application/json' },
      body: '{"héllo":1}',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-echo')).toBe('k1');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await res.json()).toEqual({ method: 'POST', body: '{"héllo":1}', length: '12' });
  });

  it('streams the body as it arrives', async () => {
    let finish!: () => void;
    handler = (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
      finish = () => res.end('data: last\n\n');
    };
    const r = reader(await httpFetch(`${base}/sse`));
    expect((await r.read()).value).toBe('data: first\n\n'); // before the server has ended
    finish();
    expect((await r.read()).value).toBe('data: last\n\n');
    expect((await r.read()).done).toBe(true);
  });

  it('decodes a gzip body', async () => {
    handler = (_q, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(gzipSync('compressed text'));
    };
    expect(await (await httpFetch(`${base}/gz`)).text()).toBe('compressed text');
  });

  it('aborts before the answer with an AbortError', async () => {
    handler = () => {}; // never answers
    const controller = new AbortController();
    const pending = httpFetch(`${base}/slow`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('aborts mid-body: the reader fails with an AbortError and the connection closes', async () => {
    handler = (_q, res) => {
      res.writeHead(200);
      res.write('part');
    };
    const controller = new AbortController();
    const r = reader(await httpFetch(`${base}/abort-mid`, { signal: controller.signal }));
    expect((await r.read()).value).toBe('part');
    controller.abort();
    await expect(r.read()).rejects.toMatchObject({ name: 'AbortError' });
    await expect.poll(() => closed).toContain('/abort-mid');
  });

  it('reports a cut connection as an error, not a short body', async () => {
    handler = (_q, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('only some');
      setTimeout(() => res.socket?.destroy(), 10);
    };
    const r = reader(await httpFetch(`${base}/cut`));
    expect((await r.read()).value).toBe('only some');
    await expect(r.read()).rejects.toThrow('terminated');
  });

  it('fails like fetch when nothing listens', async () => {
    const refused = await httpFetch('http://127.0.0.1:9/').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TypeError);
    expect(refused).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
  });
});
