/**
 * Streaming relay speed against a peer gateway (issue 14), side by side in one run. The same scripted
 * answers of a fake OpenAI-compatible upstream are read by four arms, batch by batch in a rotating order so
 * machine noise hits all alike:
 * - direct: straight from the fake upstream (the yardstick);
 * - peer: through Portkey's open-source gateway (peer-gateway.ts), OpenAI chat completions in and out;
 * - gateway: through our POST /api/v1/chat/completions with an `sk-` key, the model registered as
 *   `openai-compatible` (admission, budget, usage ledger on);
 * - chat: through our POST /api/chat with a session (conversation, messages and usage saved).
 * At each concurrency: time to first token (10-chunk answers paced like a model: 5 ms to the first token,
 * 2 ms between chunks), p50/p99 and what each arm adds to direct; throughput (answers of RELAY_CHUNKS
 * chunks, no pauses) as chunks/s and a share of direct's; the serving process's CPU per stream (from /proc,
 * which other load on the machine distorts less than latency) and its RSS. Then RSS with
 * RELAY_OPEN_STREAMS answers held open (peer and gateway).
 * Options (env): RELAY_CONCURRENCY=1,50,200 · RELAY_ARMS=peer,gateway,chat (direct always runs) ·
 * RELAY_CHUNKS=300 · RELAY_ROUNDS=<n> (batches per arm and phase; default by concurrency) ·
 * RELAY_OPEN_STREAMS=1000 (0 skips) · RELAY_WEB_CONCURRENCY=<n> (our server as n processes behind one port,
 * api/cluster.ts; Postgres only; CPU and RSS then sum the primary and its workers). Postgres when
 * BENCH_DATABASE_URL, TEST_DATABASE_URL or DATABASE_URL is set (a scratch database), else the embedded
 * database.
 */
import type { Script } from '../helpers/fake-upstreams';
import { descendants } from '../helpers/processes';
import { type Bench, type BenchRow, cpuMs, round } from './bench';
import { benchPostgresUrl } from './bench-server';
import { setUp } from './chat-stream.bench';
import { PEER_NAME, type PeerGateway, startPeerGateway } from './peer-gateway';
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

export type ArmName = 'direct' | 'peer' | 'gateway' | 'chat';
export const ARMS: ArmName[] = ['direct', 'peer', 'gateway', 'chat'];

export interface RelayOptions {
  concurrency: number[];
  /** Arms besides direct. */
  arms: ArmName[];
  /** Chunks per answer in the throughput phase. */
  chunks: number;
  /** Batches per arm and phase; by default fewer as concurrency grows. */
  rounds?: number;
  /** Streams held open for the memory phase (0 = skip). */
  openStreams: number;
  /** null = the embedded database. */
  postgresUrl: string | null;
  /** Our server's processes (WEB_CONCURRENCY). */
  webConcurrency: number;
}

const LABEL: Record<ArmName, string> = {
  direct: 'direct (fake upstream)',
  peer: `peer: ${PEER_NAME} /v1/chat/completions`,
  gateway: 'ours: /api/v1/chat/completions',
  chat: 'ours: /api/chat',
};

const PACED: Script = {
  chunks: Array.from({ length: 10 }, (_, i) => `tok${i} `),
  firstTokenDelayMs: 5,
  interChunkDelayMs: 2,
  usage: { inputTokens: 12, outputTokens: 10 },
};

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function optionsFromEnv(env = process.env): RelayOptions {
  const arms = (list(env.RELAY_ARMS) ?? ARMS).filter((a): a is ArmName => ARMS.includes(a as ArmName));
  return {
    concurrency: (list(env.RELAY_CONCURRENCY) ?? ['1', '50', '200']).map(Number).filter((n) => n > 0),
    arms: arms.filter((a) => a !== 'direct'),
    chunks: Number(env.RELAY_CHUNKS ?? 300),
    rounds: env.RELAY_ROUNDS ? Number(env.RELAY_ROUNDS) : undefined,
    openStreams: Number(env.RELAY_OPEN_STREAMS ?? 1000),
    postgresUrl: benchPostgresUrl(),
    webConcurrency: Number(env.RELAY_WEB_CONCURRENCY ?? 1),
  };
}

/** A process and, when it forks (WEB_CONCURRENCY), its workers: CPU ms and RSS MB summed. */
const tree = (pid: number, forks: boolean) => (forks ? [pid, ...descendants(pid)] : [pid]);
const sumOf = (pids: number[], read: (pid: number) => number) =>
  pids.reduce((n, pid) => {
    try {
      return n + read(pid);
    } catch {
      return n; // exited meanwhile
    }
  }, 0);

interface Arm {
  name: ArmName;
  /** The process that serves it (null: direct), for CPU and RSS. */
  pid: number | null;
  /** It forks workers whose CPU and RSS count too. */
  forks?: boolean;
  one(hold?: Parameters<typeof stream>[4]): Promise<StreamTiming>;
}

interface Tally {
  timings: StreamTiming[];
  /** Streams that failed (a non-200 answer, a reset): counted, not timed. */
  errors: number;
  wallMs: number;
  cpuMs: number;
  streams: number;
}

const emptyTally = (): Tally => ({ timings: [], errors: 0, wallMs: 0, cpuMs: 0, streams: 0 });

const armCpu = (arm: Arm) => (arm.pid ? sumOf(tree(arm.pid, arm.forks ?? false), cpuMs) : 0);
const armRss = (arm: Arm) => (arm.pid ? sumOf(tree(arm.pid, arm.forks ?? false), rssMb) : Number.NaN);

/** `rounds` batches of `concurrency` streams per arm, the arms' order rotating each round. */
async function alternate(arms: Arm[], concurrency: number, rounds: number): Promise<Map<ArmName, Tally>> {
  const out = new Map(arms.map((a) => [a.name, emptyTally()]));
  for (const arm of arms)
    await Promise.all(Array.from({ length: concurrency }, () => arm.one().catch(() => null))); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < arms.length; i++) {
      const arm = arms[(i + r) % arms.length]!;
      const tally = out.get(arm.name)!;
      const c0 = armCpu(arm);
      const t0 = performance.now();
      const batch = await Promise.all(Array.from({ length: concurrency }, () => arm.one().catch(() => null)));
      for (const t of batch) {
        if (t) tally.timings.push(t);
        else tally.errors++;
      }
      tally.wallMs += performance.now() - t0;
      if (arm.pid) tally.cpuMs += armCpu(arm) - c0;
      tally.streams += concurrency;
    }
  }
  return out;
}

const defaultRounds = (concurrency: number, phase: 'ttft' | 'throughput') =>
  phase === 'ttft'
    ? Math.max(2, Math.round(60 / Math.sqrt(concurrency)))
    : Math.max(2, Math.round(12 / Math.sqrt(concurrency)));

export async function runRelay(options: RelayOptions): Promise<BenchRow[]> {
  const forks = options.webConcurrency > 1;
  const env = await setUp(
    options.postgresUrl,
    forks ? { env: { WEB_CONCURRENCY: String(options.webConcurrency) } } : {},
  );
  let peer: PeerGateway | null = null;
  const rows: BenchRow[] = [];
  try {
    if (options.arms.includes('peer')) peer = await startPeerGateway();
    const serverPid = env.server.child.pid!;
    const all: Record<ArmName, Arm> = {
      direct: {
        name: 'direct',
        pid: null,
        one: (hold) => stream(`${env.fake.baseURL}/chat/completions`, directBody(), DIRECT_MARKER, {}, hold),
      },
      peer: {
        name: 'peer',
        pid: peer?.server.child.pid ?? null,
        one: (hold) =>
          stream(
            `${peer!.base}/v1/chat/completions`,
            directBody(),
            DIRECT_MARKER,
            peer!.headers(env.fake.baseURL),
            hold,
          ),
      },
      gateway: {
        name: 'gateway',
        pid: serverPid,
        forks,
        one: (hold) =>
          stream(
            `${env.base}/api/v1/chat/completions`,
            directBody('fake-large'),
            DIRECT_MARKER,
            { authorization: `Bearer ${env.apiKey}` },
            hold,
          ),
      },
      chat: {
        name: 'chat',
        pid: serverPid,
        forks,
        one: (hold) =>
          stream(`${env.base}/api/chat`, relayBody(env.modelId), RELAY_MARKER, { cookie: env.cookie }, hold),
      },
    };
    const arms = [all.direct, ...options.arms.map((a) => all[a])];

    for (const concurrency of options.concurrency) {
      env.fake.reset();
      env.fake.script(PACED);
      const paced = await alternate(arms, concurrency, options.rounds ?? defaultRounds(concurrency, 'ttft'));
      env.fake.reset();
      env.fake.script({ chunks: Array.from({ length: options.chunks }, (_, i) => `tok${i} `) });
      const bulk = await alternate(
        arms,
        concurrency,
        options.rounds ?? defaultRounds(concurrency, 'throughput'),
      );
      const ttfts = (name: ArmName) => paced.get(name)!.timings.map((t) => t.ttftMs);
      const rate = (name: ArmName) => {
        const t = bulk.get(name)!;
        return ((t.streams - t.errors) * options.chunks) / (t.wallMs / 1000);
      };
      const direct = ttfts('direct');
      for (const arm of arms) {
        const t = ttfts(arm.name);
        const p = paced.get(arm.name)!;
        const b = bulk.get(arm.name)!;
        const own = arm.name !== 'direct';
        rows.push({
          streams: concurrency,
          arm: LABEL[arm.name],
          samples: t.length,
          'TTFT p50 ms': round(pct(t, 50), 1),
          'TTFT p99 ms': round(pct(t, 99), 1),
          'added p50 ms': own ? round(pct(t, 50) - pct(direct, 50), 1) : '',
          'added p99 ms': own ? round(pct(t, 99) - pct(direct, 99), 1) : '',
          'chunks/s': round(rate(arm.name), 0),
          'vs direct %': own ? round((100 * rate(arm.name)) / rate('direct'), 1) : '',
          'CPU ms/stream': arm.pid ? round(p.cpuMs / p.streams, 2) : '',
          [`CPU ms/stream, ${options.chunks} chunks`]: arm.pid ? round(b.cpuMs / b.streams, 2) : '',
          'RSS MB': arm.pid ? round(armRss(arm), 0) : '',
          errors: p.errors + b.errors,
        });
      }
    }

    // Memory: answers that received their first text and stay open (the upstream hangs after it).
    if (options.openStreams > 0) {
      for (const arm of arms.filter((a) => a.name === 'peer' || a.name === 'gateway')) {
        env.fake.reset();
        env.fake.script({ chunks: ['tok0 ', 'tok1 '], hangAfterChunks: 1 });
        const idle = armRss(arm);
        const open = await openStreams(options.openStreams, (hold) => arm.one(hold));
        rows.push({
          streams: options.openStreams,
          arm: `${LABEL[arm.name]}: held open`,
          samples: open.opened(),
          'RSS idle MB': round(idle, 0),
          'RSS open MB': round(armRss(arm), 0),
        });
        await open.close();
      }
    }
    rows.push({
      streams: 0,
      arm: `database: ${env.mode}${forks ? `, ours as ${options.webConcurrency} processes` : ''}`,
    });
  } catch (err) {
    const peerOutput = peer ? `\npeer output:\n${peer.server.output().slice(-2000)}` : '';
    throw new Error(
      `${(err as Error).message}\nserver output:\n${env.server.output().slice(-3000)}${peerOutput}`,
    );
  } finally {
    await peer?.server.stop();
    await env.cleanup();
  }
  return rows;
}

export const relayBench: Bench = {
  id: 'relay',
  name: 'Streaming relay: direct vs a peer gateway vs ours (/api/v1/chat/completions, /api/chat)',
  run: () => runRelay(optionsFromEnv()),
};
