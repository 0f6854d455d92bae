/**
 * Chat streaming overhead (issue 4, item 10). The same scripted streams are consumed straight from a fake
 * OpenAI-compatible upstream ("direct") and through our server's POST /api/chat ("relay": session auth,
 * RBAC, model grant, budget check, persistence), alternating batch by batch in one run so machine noise
 * hits both alike. Figures: added time-to-first-token p50/p99 at 1, 50 and 200 concurrent streams; relay
 * throughput as a ratio of direct at 200 streams; server RSS with 1,000 open streams.
 * The server is a separate production process (api/server.ts); the fake and the client share this one.
 * Postgres mode when BENCH_DATABASE_URL, TEST_DATABASE_URL or DATABASE_URL is set (a scratch database is
 * created and dropped), else the embedded database.
 */
import { MAX_CONCURRENT_KEY, RATE_PER_MINUTE_KEY } from '../../api/ai/run';
import { PRICES } from '../helpers/chat-fixture';
import { type FakeUpstream, type Script, startFakeUpstream } from '../helpers/fake-upstreams';
import type { Spawned } from '../helpers/processes';
import { type Bench, type BenchRow, cpuMs, round } from './bench';
import { type BenchServerOptions, benchPostgresUrl, startBenchServer } from './bench-server';
import {
  DIRECT_MARKER,
  directBody,
  openStreams,
  pct,
  RELAY_MARKER,
  relayBody,
  rssMb,
  type StreamTiming,
  stream,
} from './stream-client';

interface Env {
  fake: FakeUpstream;
  server: Spawned;
  base: string;
  cookie: string;
  modelId: string;
  /** An `sk-` key of the same person (the OpenAI-compatible gateway). */
  apiKey: string;
}

async function batch(env: Env, mode: 'direct' | 'relay', concurrency: number): Promise<StreamTiming[]> {
  const one = () =>
    mode === 'direct'
      ? stream(`${env.fake.baseURL}/chat/completions`, directBody(), DIRECT_MARKER)
      : stream(`${env.base}/api/chat`, relayBody(env.modelId), RELAY_MARKER, { cookie: env.cookie });
  return Promise.all(Array.from({ length: concurrency }, one));
}

/**
 * Alternates direct and relay batches; returns every stream's timing per mode, each batch's wall time and
 * the server's CPU time per relayed stream (robust to noise from other processes, unlike latency).
 */
async function alternate(env: Env, concurrency: number, rounds: number) {
  const out = {
    direct: [] as StreamTiming[],
    relay: [] as StreamTiming[],
    wall: { direct: [] as number[], relay: [] as number[] },
    serverCpuMsPerStream: 0,
  };
  const pid = env.server.child.pid!;
  let cpu = 0;
  await batch(env, 'direct', concurrency); // warm-up, discarded
  await batch(env, 'relay', concurrency);
  for (let r = 0; r < rounds; r++) {
    for (const mode of r % 2 ? (['relay', 'direct'] as const) : (['direct', 'relay'] as const)) {
      const t0 = performance.now();
      const c0 = mode === 'relay' ? cpuMs(pid) : 0;
      out[mode].push(...(await batch(env, mode, concurrency)));
      if (mode === 'relay') cpu += cpuMs(pid) - c0;
      out.wall[mode].push(performance.now() - t0);
    }
  }
  out.serverCpuMsPerStream = cpu / out.relay.length;
  return out;
}

export async function setUp(
  postgresUrl = benchPostgresUrl(),
  server: Omit<BenchServerOptions, 'postgresUrl'> = {},
): Promise<Env & { cleanup(): Promise<void>; mode: string }> {
  const fake = await startFakeUpstream('openai-compatible');
  const target = await startBenchServer({ ...server, postgresUrl }).catch(async (err) => {
    await fake.close();
    throw err;
  });
  // People and the model, written straight to the server's database (the CLI's path).
  const { token, modelId, apiKey } = await target.seed(async (services, ctx) => {
    const admin = await services.users.create(ctx, {
      email: 'admin@bench.example',
      roles: ['administrator'],
    });
    const staff = await services.users.create(ctx, { email: 'teacher@bench.example', roles: ['staff'] });
    // A monthly budget in force, far above what a run spends: every answer reserves its estimate under the
    // person's lock and releases it when it ends (issue 14: budget accounting on).
    const adminActor = (await services.users.actorFor(ctx.db, admin.id))!;
    await services.budgets.create(
      { ...ctx, actor: adminActor },
      { scope: 'user', userId: staff.id, limitCostUsd: '1000000' },
    );
    const { token } = await services.auth.createSession(ctx, staff.id);
    // One person runs hundreds of streams here: lift the per-person limits (0 = none).
    await services.settings.set(ctx, { key: MAX_CONCURRENT_KEY, value: '0' });
    await services.settings.set(ctx, { key: RATE_PER_MINUTE_KEY, value: '0' });
    const model = await services.models.create(ctx, {
      provider: 'openai-compatible',
      modelId: 'fake-large',
      baseUrl: fake.baseURL,
      ...PRICES,
    });
    const { secret } = await services.apiKeys.createForEmail(ctx, staff.email, {
      name: 'bench',
      scopes: ['*'],
      rateLimitRpm: 100_000,
    });
    return { token, modelId: model.id, apiKey: secret };
  });
  return {
    mode: target.mode,
    fake,
    server: target.server,
    base: target.base,
    cookie: `aistudio_session=${token}`,
    modelId,
    apiKey,
    async cleanup() {
      await fake.close(); // cuts any upstream still open, so the server has nothing left to wait for
      await target.cleanup();
    },
  };
}

const SHORT: Script = {
  chunks: Array.from({ length: 10 }, (_, i) => `tok${i} `),
  firstTokenDelayMs: 5,
  interChunkDelayMs: 2,
  usage: { inputTokens: 12, outputTokens: 10 },
};

export const chatStreamBench: Bench = {
  id: 'chat',
  name: 'Chat streaming: direct to a fake upstream vs through POST /api/chat (alternating batches)',
  async run() {
    const env = await setUp();
    const rows: BenchRow[] = [];
    try {
      env.fake.script(SHORT);
      for (const [concurrency, rounds] of [
        [1, 100],
        [50, 8],
        [200, 4],
      ] as const) {
        const r = await alternate(env, concurrency, rounds);
        const ttft = (xs: StreamTiming[]) => xs.map((x) => x.ttftMs);
        const d = ttft(r.direct);
        const t = ttft(r.relay);
        rows.push({
          phase: `TTFT, ${concurrency} concurrent`,
          samples: t.length,
          'direct p50 ms': round(pct(d, 50), 2),
          'relay p50 ms': round(pct(t, 50), 2),
          'added p50 ms': round(pct(t, 50) - pct(d, 50), 2),
          'direct p99 ms': round(pct(d, 99), 2),
          'relay p99 ms': round(pct(t, 99), 2),
          'added p99 ms': round(pct(t, 99) - pct(d, 99), 2),
          'server CPU ms/stream': round(r.serverCpuMsPerStream, 2),
        });
      }

      // Throughput: 200 streams of 300 chunks, no delays; wall time of each batch.
      env.fake.script({ chunks: Array.from({ length: 300 }, (_, i) => `tok${i} `) });
      const tp = await alternate(env, 200, 4);
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      const chunksPerSec = (wall: number[]) => (200 * 300 * wall.length) / (sum(wall) / 1000);
      rows.push({
        phase: 'throughput, 200 × 300 chunks',
        samples: tp.wall.relay.length,
        'direct chunks/s': round(chunksPerSec(tp.wall.direct), 0),
        'relay chunks/s': round(chunksPerSec(tp.wall.relay), 0),
        'relay/direct %': round((100 * chunksPerSec(tp.wall.relay)) / chunksPerSec(tp.wall.direct), 1),
        'server CPU ms/stream': round(tp.serverCpuMsPerStream, 2),
      });

      // Memory: 1,000 streams that received their first token and stay open.
      const pid = env.server.child.pid!;
      const idle = rssMb(pid);
      env.fake.script({ chunks: ['tok0 ', 'tok1 '], hangAfterChunks: 1 });
      const open = await openStreams(1000, (hold) =>
        stream(`${env.base}/api/chat`, relayBody(env.modelId), RELAY_MARKER, { cookie: env.cookie }, hold),
      );
      const loaded = rssMb(pid);
      rows.push({
        phase: 'RSS, 1,000 open streams',
        samples: open.opened(),
        'server RSS idle MB': round(idle, 0),
        'server RSS open MB': round(loaded, 0),
      });
      await open.close();
      rows.push({ phase: `database: ${env.mode}`, samples: 0 });
    } catch (err) {
      // The server's last words explain most failures (it logs at warn and above).
      throw new Error(`${(err as Error).message}\nserver output:\n${env.server.output().slice(-3000)}`);
    } finally {
      await env.cleanup();
    }
    return rows;
  },
};
