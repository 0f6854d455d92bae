/**
 * A request refused before its body was read (here: anonymous, 401) must not break the keep-alive
 * connection for the client's next request (api/middleware/unread-body.ts).
 */
import { Agent, type IncomingHttpHeaders, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  agent.destroy();
  await app?.close();
});

function post(path: string, body: string) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; socket: unknown }>((resolve, reject) => {
    const req = request(
      `${app.url}${path}`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, socket: req.socket }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('a request answered before its body was read', () => {
  it('closes its connection, so the next request on the same client succeeds', async () => {
    const big = JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(2_000_000) }] });
    const refused = await post('/api/v1/chat/completions', big);
    expect(refused.status).toBe(401);
    expect(refused.headers.connection).toBe('close');

    // Unclosed, the server would destroy this socket ~500 ms later, under whatever request came next.
    await new Promise((r) => setTimeout(r, 700));
    const next = await post('/api/v1/chat/completions', '{}');
    expect(next.status).toBe(401);
  });

  it('keeps the connection when the whole body had arrived', async () => {
    const first = await post('/api/v1/chat/completions', '{}');
    expect(first.headers.connection).toBe('keep-alive');
    const second = await post('/api/v1/chat/completions', '{}');
    expect(second.socket).toBe(first.socket);
  });
});
