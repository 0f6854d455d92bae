import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../lib/hono-env';
import { requestBodyLimit } from './body-limit';
import { onError } from './error-handler';

const MB = 1024 * 1024;
const app = new Hono<AppEnv>();
app.onError(onError);
app.use('*', requestBodyLimit(1));
app.post('/echo', async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }));
let server: ReturnType<typeof serve>;
let port = 0;
beforeAll(async () => {
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** POSTs `size` bytes over HTTP, with a Content-Length or chunked (written in 64 KB pieces). */
function post(size: number, chunked: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/echo',
        headers: chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(size) },
      },
      (res) => {
        let body = '';
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', reject);
    const piece = Buffer.alloc(64 * 1024, 120);
    for (let sent = 0; sent < size; sent += piece.length)
      req.write(piece.subarray(0, Math.min(piece.length, size - sent)));
    req.end();
  });
}

describe.each([
  ['with a Content-Length', false],
  ['chunked', true],
] as const)('request body limit, %s', (_name, chunked) => {
  it('passes a body within the limit to the handler whole', async () => {
    const res = await post(MB - 10, chunked);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ bytes: MB - 10 });
  });

  it('refuses a larger one with 413 naming the limit', async () => {
    const res = await post(MB + 10, chunked);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error).toMatchObject({
      code: 'payload_too_large:request',
      message: 'The request body is larger than 1 MB',
    });
  });
});
