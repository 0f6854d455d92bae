/**
 * The yardstick of `npm run bench -- api`: the same server library with nothing in it — one Hono route
 * answering `c.json({ ok: true })` on @hono/node-server. Spawned by the bench like our server.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/', (c) => c.json({ ok: true }));
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
process.once('SIGTERM', () => {
  server.close();
  (server as unknown as { closeAllConnections(): void }).closeAllConnections();
  process.exit(0);
});
