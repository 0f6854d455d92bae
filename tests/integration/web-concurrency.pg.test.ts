/**
 * WEB_CONCURRENCY=2 on Postgres (api/cluster.ts): the real entry (api/server.ts) forks two server processes
 * behind one port; connections reach both; with REDIS_URL the per-person cap on answers streaming at once
 * holds across them; SIGTERM stops every process gracefully (the held answers are saved as interrupted,
 * not left streaming). The embedded database refuses WEB_CONCURRENCY > 1 (api/config.test.ts,
 * tests/e2e/processes.test.ts style: one line).
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { get, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONCURRENT_KEY } from '../../api/ai/run/limits';
import { INTERRUPTED_REASON } from '../../api/features/chat/chat.service';
import { messages } from '../../db/schema/index';
import { type BenchServer, startBenchServer } from '../bench/bench-server';
import { relayBody } from '../bench/stream-client';
import { PRICES } from '../helpers/chat-fixture';
import { type FakeUpstream, startFakeUpstream } from '../helpers/fake-upstreams';
import { descendants, isAlive, spawnEntry } from '../helpers/processes';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** One request on its own connection (the cluster hands out connections, not requests). */
function post(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<{ status: number; firstText: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        signal,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...headers,
        },
      },
      (res) => {
        const firstText = new Promise<void>((done) => {
          res.setEncoding('utf8');
          res.on('data', (d: string) => {
            if (d.includes('"type":"text-delta"')) done();
          });
          res.on('error', () => {});
        });
        resolve({ status: res.statusCode ?? 0, firstText });
      },
    );
    req.on('error', (err) => (signal?.aborted ? undefined : reject(err)));
    req.end(payload);
  });
}

/** GET on its own connection; resolves with the status. */
const getOnce = (url: string, headers: Record<string, string>) =>
  new Promise<number>((resolve, reject) => {
    get(url, { agent: false, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });

const logLines = (target: BenchServer) =>
  target.server
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('WEB_CONCURRENCY=2 on Postgres', () => {
  let fake: FakeUpstream;
  let target: BenchServer;
  let cookie: string;
  let modelId: string;
  const prefix = `aistudio-cluster-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    fake = await startFakeUpstream('openai-compatible');
    target = await startBenchServer({
      postgresUrl: process.env.TEST_DATABASE_URL!,
      entry: 'api/server.ts',
      env: {
        WEB_CONCURRENCY: '2',
        REDIS_URL,
        REDIS_KEY_PREFIX: prefix,
        LOG_LEVEL: 'info',
        SHUTDOWN_TIMEOUT_MS: '2000',
      },
    });
    ({ cookie, modelId } = await target.seed(async (services, ctx) => {
      const staff = await services.users.create(ctx, { email: 'teacher@cluster.example', roles: ['staff'] });
      const { token } = await services.auth.createSession(ctx, staff.id);
      await services.settings.set(ctx, { key: MAX_CONCURRENT_KEY, value: '2' });
      const model = await services.models.create(ctx, {
        provider: 'openai-compatible',
        modelId: 'fake-large',
        baseUrl: fake.baseURL,
        ...PRICES,
      });
      return { cookie: `aistudio_session=${token}`, modelId: model.id };
    }));
    // The first process answers once it listens; the second starts after it.
    const until = Date.now() + 60_000;
    while (!target.server.output().includes('every server process is listening')) {
      if (Date.now() > until) throw new Error(`the second process did not start:\n${target.server.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 180_000);
  afterAll(async () => {
    await fake?.close();
    await target?.cleanup();
  });

  it('serves connections from both processes behind one port', async () => {
    const workers = descendants(target.server.child.pid!);
    expect(workers.length).toBeGreaterThanOrEqual(2);
    const ids = Array.from({ length: 12 }, (_, i) => `cluster-probe-${i}`);
    for (const id of ids) {
      expect(await getOnce(`${target.base}/api/health`, { 'x-request-id': id })).toBe(200);
    }
    await expect
      .poll(
        () =>
          new Set(
            logLines(target)
              .filter((l) => ids.includes(String(l.requestId)))
              .map((l) => l.worker),
          ),
      )
      .toEqual(new Set([0, 1]));
  });

  it('holds the cap on answers streaming at once across both processes (Redis)', async () => {
    fake.reset();
    fake.script({ chunks: ['tok0 ', 'tok1 '], hangAfterChunks: 1 });
    const url = `${target.base}/api/chat`;
    const held = new AbortController();
    const open = [];
    for (let i = 0; i < 2; i++) {
      const res = await post(url, relayBody(modelId), { cookie }, held.signal);
      expect(res.status).toBe(200);
      await res.firstText;
      open.push(res);
    }
    // Four more, each on a new connection: the cluster hands them to both processes; every one is refused.
    const refused = [];
    for (let i = 0; i < 4; i++) {
      const res = await post(url, relayBody(modelId), { cookie, 'x-request-id': `cluster-over-cap-${i}` });
      refused.push(res.status);
    }
    expect(refused).toEqual([429, 429, 429, 429]);
    await expect
      .poll(
        () =>
          new Set(
            logLines(target)
              .filter((l) => String(l.requestId).startsWith('cluster-over-cap-') && l.status === 429)
              .map((l) => l.worker),
          ),
      )
      .toEqual(new Set([0, 1]));
    // The held answers stay open (the upstream hangs) into the shutdown below.
  });

  it('SIGTERM stops every process gracefully: held answers saved as interrupted', async () => {
    const pids = [target.server.child.pid!, ...descendants(target.server.child.pid!)];
    const code = await target.server.stop('SIGTERM');
    expect(code).toBe(0);
    await expect.poll(() => pids.filter(isAlive), { timeout: 5_000 }).toEqual([]);
    const rows = await target.seed((_services, ctx) =>
      ctx.db.select().from(messages).where(eq(messages.role, 'assistant')),
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(row).toMatchObject({ status: 'failed', error: INTERRUPTED_REASON });
    expect(target.server.output()).toMatch(/"worker":0.*stopped/);
    expect(target.server.output()).toMatch(/"worker":1.*stopped/);
  }, 60_000);
});

describe('WEB_CONCURRENCY on the embedded database', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'aist-cluster-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses to start with one line', async () => {
    const proc = spawnEntry('api/server.ts', { DATA_DIR: dataDir, WEB_CONCURRENCY: '2' });
    expect(await proc.exited).not.toBe(0);
    expect(proc.output().trim().split('\n')).toEqual([
      expect.stringMatching(
        /^ai-studio: invalid configuration: WEB_CONCURRENCY: must be 1 with the embedded database/,
      ),
    ]);
  });
});
