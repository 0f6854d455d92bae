/**
 * Several server processes behind a load balancer: a stop request that lands on another instance than the
 * one streaming the answer still stops it (NOTIFY chat_stop), and answers once the answer is saved.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { createServices, type Services } from '../../api/services';
import { messages } from '../../db/schema/index';
import { type ChatFixture, sendBody, startChatFixture, uiChunks } from '../helpers/chat-fixture';

let f: ChatFixture;
let other: Services;
let otherUrl = '';
let server: ReturnType<typeof serve>;
beforeAll(async () => {
  f = await startChatFixture();
  // A second instance on the same database, with its own runs, caches and listeners.
  other = createServices({ config: f.app.services.config, database: f.app.database, log: f.app.log });
  await other.chat.subscribe(f.app.database, f.app.log);
  server = serve({ fetch: createApp({ services: other }).fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  otherUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await other?.chat.close();
  await other?.apiKeys.close();
  await other?.rateLimiter.close();
  await f?.close();
});

describe('stop across server instances', () => {
  it('a stop sent to another instance aborts the upstream call and saves the partial answer', async () => {
    f.fake.script({ chunks: Array.from({ length: 60 }, (_, i) => ` w${i}`), interChunkDelayMs: 50 });
    const res = await f.call(f.staff, '/api/chat', {
      method: 'POST',
      json: sendBody('Go on', { modelId: f.modelId }),
    });
    const id = res.headers.get('x-message-id')!;
    let deltas = 0;
    let stopped: Response | undefined;
    for await (const c of uiChunks(res)) {
      if (c.chunk.type === 'text-delta' && ++deltas === 2 && !stopped) {
        stopped = await fetch(`${otherUrl}/api/chat/${id}/stop`, {
          method: 'POST',
          headers: { cookie: f.staff.cookie, origin: otherUrl },
        });
      }
    }
    expect(stopped!.status).toBe(200);
    expect(await stopped!.json()).toEqual({ stopped: true });
    expect(await f.fake.lastRequest().outcome).toBe('client-closed');
    const [saved] = await f.app.database.db.select().from(messages).where(eq(messages.id, id));
    expect(saved!.status).toBe('stopped');
  });

  it('someone else cannot stop it from any instance', async () => {
    f.fake.script({ chunks: Array.from({ length: 20 }, (_, i) => ` w${i}`), interChunkDelayMs: 30 });
    const res = await f.call(f.staff, '/api/chat', {
      method: 'POST',
      json: sendBody('Hi', { modelId: f.modelId }),
    });
    const id = res.headers.get('x-message-id')!;
    const refused = await fetch(`${otherUrl}/api/chat/${id}/stop`, {
      method: 'POST',
      headers: { cookie: f.admin.cookie, origin: otherUrl },
    });
    expect(refused.status).toBe(404);
    const chunks = [];
    for await (const c of uiChunks(res)) chunks.push(c.chunk.type);
    expect(chunks).toContain('finish');
  });
});
