/**
 * The fixed cost of a request (issue 16): autocannon, 10 connections × 5 s each, against a bare Hono route
 * (the yardstick, spawned by this run on the same machine) and our server: /api/health, then authenticated
 * reads with a session cookie, an `sk-` key and an OAuth access token (client_credentials). Figures per request:
 * req/s, p50/p99, ratios to bare Hono and to /api/health, and the server process's CPU time per request
 * (from /proc, so other load on the machine distorts it less than latency).
 * Postgres (a scratch database on BENCH_DATABASE_URL or TEST_DATABASE_URL) and then the embedded database.
 * BENCH_BEFORE_ROOT=<another checkout> (e.g. main exported with `git archive`, node_modules linked) also
 * measures that tree's server, target by target alternating with this one, for before/after in one run.
 * To profile one request kind: BENCH_API_ONLY=<text in its request name>, BENCH_API_DB=postgres|embedded,
 * BENCH_CPU_PROFILE=<file> (the server writes a .cpuprofile when it stops).
 */
import autocannon from 'autocannon';
import { freePort, spawnEntry, waitForHttp } from '../helpers/processes';
import { type Bench, type BenchRow, cpuMs, round } from './bench';
import { type BenchServer, benchPostgresUrl, startBenchServer } from './bench-server';

const CONNECTIONS = 10;
const SECONDS = 5;
const WARM_UP_SECONDS = 1;
const KEYS_PER_TARGET = CONNECTIONS / 2;

/** Targets of issue 16 (ratios measured in the same run). */
const HEALTH_OVER_BARE = 1 / 3;
const AUTH_OVER_HEALTH = 1 / 2;
const AUTH_MIN_RPS = 3_000;
const AUTH_MAX_P99_MS = 10;

interface Credentials {
  cookie: string;
  /**
   * Keys per key-authenticated target, each sent by two of the connections: no key reaches its per-minute
   * budget (100,000, the highest a key may have) below 80,000 req/s. A person may hold 10 keys.
   */
  keys: { me: string[]; models: string[] };
  /**
   * OAuth access tokens acting as the staff user, one per client (a client's budget is per person), each sent
   * by two connections like the keys; null on a tree without per-client rate limits.
   */
  oauthTokens: string[] | null;
}

interface Target {
  request: string;
  path: string;
  authenticated: boolean;
  /**
   * Headers connection `n` sends; null when the credential does not exist in this build (the row says so).
   */
  headers(c: Credentials, n: number): Record<string, string> | null;
}

const bearer = (token: string | null) => (token ? { authorization: `Bearer ${token}` } : null);

const TARGETS: Target[] = [
  { request: 'GET /api/health', path: '/api/health', authenticated: false, headers: () => ({}) },
  {
    request: 'GET /api/conversations (session cookie)',
    path: '/api/conversations',
    authenticated: true,
    headers: (c) => ({ cookie: c.cookie }),
  },
  {
    request: 'GET /api/auth/session (session cookie)',
    path: '/api/auth/session',
    authenticated: true,
    headers: (c) => ({ cookie: c.cookie }),
  },
  {
    request: 'GET /api/v1/me (sk- key)',
    path: '/api/v1/me',
    authenticated: true,
    headers: (c, n) => bearer(c.keys.me[n % KEYS_PER_TARGET]!),
  },
  {
    request: 'GET /api/v1/models (sk- key)',
    path: '/api/v1/models',
    authenticated: true,
    headers: (c, n) => bearer(c.keys.models[n % KEYS_PER_TARGET]!),
  },
  {
    request: 'GET /api/v1/me (OAuth access token)',
    path: '/api/v1/me',
    authenticated: true,
    headers: (c, n) => bearer(c.oauthTokens?.[n % KEYS_PER_TARGET] ?? null),
  },
];

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  cpuUsPerRequest: number;
  cpuPercent: number;
}

type PerConnection = (n: number) => Record<string, string>;

/** autocannon with connection `n` (0…CONNECTIONS−1) sending `headers(n)`. */
function load(url: string, headers: PerConnection, duration: number) {
  let n = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    setupClient: (client) => client.setHeaders(headers(n++ % CONNECTIONS)),
  });
}

async function measure(url: string, headers: PerConnection, pid: number): Promise<Measured> {
  await load(url, headers, WARM_UP_SECONDS);
  const c0 = cpuMs(pid);
  const t0 = performance.now();
  const r = await load(url, headers, SECONDS);
  const cpu = cpuMs(pid) - c0;
  const wall = performance.now() - t0;
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx,
    cpuUsPerRequest: (cpu * 1000) / Math.max(1, r.requests.total),
    cpuPercent: (100 * cpu) / wall,
  };
}

/**
 * A staff user with a session, keys and OAuth clients (client_credentials acting as that user) with budgets
 * out of reach, a model and a few conversations.
 */
async function seedCredentials(target: BenchServer): Promise<Credentials> {
  const seeded = await target.seed(async (services, ctx) => {
    await services.users.create(ctx, { email: 'admin@bench.example', roles: ['administrator'] });
    const staff = await services.users.create(ctx, { email: 'teacher@bench.example', roles: ['staff'] });
    const { token } = await services.auth.createSession(ctx, staff.id);
    const key = async (name: string) =>
      (
        await services.apiKeys.createForEmail(ctx, staff.email, {
          name,
          scopes: ['*'],
          rateLimitRpm: 100_000,
        })
      ).secret;
    const model = await services.models.create(ctx, {
      provider: 'openai-compatible',
      modelId: 'bench-model',
      baseUrl: 'http://127.0.0.1:9/v1',
    });
    const staffActor = await services.users.actorFor(ctx.db, staff.id);
    for (let i = 0; i < 5; i++)
      await services.conversations.create(
        { ...ctx, actor: staffActor! },
        { title: `Conversation ${i}`, modelId: model.id },
      );
    // A tree without per-client rate limits (BENCH_BEFORE_ROOT) has no column for it: no OAuth row there.
    const client = (n: number) =>
      services.oauthClients
        .create(ctx, {
          name: `Bench app ${n}`,
          redirectUris: ['https://bench.example/callback'],
          scopes: ['models:read'],
          serviceUserEmail: staff.email,
          rateLimitRpm: 100_000,
        })
        .then((c) => ({ id: c.client.id, secret: c.secret! }))
        .catch(() => null);
    const clients = await Promise.all(Array.from({ length: KEYS_PER_TARGET }, (_, n) => client(n)));
    return {
      cookie: `aistudio_session=${token}`,
      keys: {
        me: await Promise.all(Array.from({ length: KEYS_PER_TARGET }, (_, n) => key(`bench me ${n}`))),
        models: await Promise.all(
          Array.from({ length: KEYS_PER_TARGET }, (_, n) => key(`bench models ${n}`)),
        ),
      },
      clients: clients.every((c): c is { id: string; secret: string } => c !== null) ? clients : null,
    };
  });
  return {
    cookie: seeded.cookie,
    keys: seeded.keys,
    oauthTokens:
      seeded.clients &&
      (await Promise.all(seeded.clients.map((client) => clientCredentialsToken(target.base, client)))),
  };
}

/** An access token from the server's token endpoint (client_credentials: acts as the service user). */
async function clientCredentialsToken(base: string, client: { id: string; secret: string }): Promise<string> {
  const res = await fetch(`${base}/api/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'models:read' }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!res.ok || !body.access_token)
    throw new Error(`token endpoint answered ${res.status}: ${JSON.stringify(body)}`);
  return body.access_token;
}

function verdict(t: Target, m: Measured, health: Measured | undefined, bare: Measured): string {
  const misses: string[] = [];
  if (!t.authenticated) {
    if (m.rps < bare.rps * HEALTH_OVER_BARE) misses.push('< 1/3 bare');
  } else {
    if (health && m.rps < health.rps * AUTH_OVER_HEALTH) misses.push('< 1/2 health');
    if (m.rps < AUTH_MIN_RPS) misses.push(`< ${AUTH_MIN_RPS} req/s`);
    if (m.p99 >= AUTH_MAX_P99_MS) misses.push(`p99 ≥ ${AUTH_MAX_P99_MS} ms`);
  }
  if (m.errors) misses.push(`${m.errors} errors`);
  return misses.length ? `miss: ${misses.join(', ')}` : 'ok';
}

async function startBare() {
  const port = await freePort();
  const proc = spawnEntry('tests/bench/bare-hono.ts', { PORT: String(port) });
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(url, proc, 60_000);
  return { proc, url };
}

async function runMode(postgresUrl: string | null, beforeRoot: string | undefined): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const bare = await startBare();
  const variants: Array<{ name: string; target: BenchServer; credentials: Credentials }> = [];
  try {
    for (const [name, root] of [
      ...(beforeRoot ? [['before', beforeRoot] as const] : []),
      [beforeRoot ? 'after' : 'this tree', undefined] as const,
    ]) {
      const target = await startBenchServer({ postgresUrl, root });
      variants.push({ name, target, credentials: await seedCredentials(target) });
    }
    const db = variants[0]!.target.mode;
    const bareM = await measure(bare.url, () => ({}), bare.proc.child.pid!);
    const row = (server: string, request: string, m: Measured, health?: Measured, v = '') => ({
      db,
      server,
      request,
      'req/s': round(m.rps, 0),
      'p50 ms': m.p50,
      'p99 ms': m.p99,
      '× bare': round(m.rps / bareM.rps, 3),
      '× health': health ? round(m.rps / health.rps, 2) : '',
      'server CPU µs/req': round(m.cpuUsPerRequest, 0),
      'server CPU %': round(m.cpuPercent, 0),
      target: v,
    });
    rows.push(row('bare Hono', 'GET / → c.json({ ok: true })', bareM));
    const health = new Map<string, Measured>();
    const only = process.env.BENCH_API_ONLY;
    for (const t of TARGETS.filter((x) => !only || !x.authenticated || x.request.includes(only))) {
      for (const { name, target, credentials } of variants) {
        if (!t.headers(credentials, 0)) {
          rows.push({ db, server: name, request: t.request, target: 'not built in this tree' });
          continue;
        }
        const m = await measure(
          `${target.base}${t.path}`,
          (n) => t.headers(credentials, n)!,
          target.server.child.pid!,
        );
        if (!t.authenticated) health.set(name, m);
        rows.push(
          row(
            name,
            t.request,
            m,
            t.authenticated ? health.get(name) : undefined,
            verdict(t, m, health.get(name), bareM),
          ),
        );
      }
    }
  } catch (err) {
    const output = variants.map((v) => `${v.name}:\n${v.target.server.output().slice(-2000)}`).join('\n');
    throw new Error(`${(err as Error).message}\nserver output:\n${output}`);
  } finally {
    await bare.proc.stop();
    for (const v of variants) await v.target.cleanup();
  }
  return rows;
}

export const apiBench: Bench = {
  id: 'api',
  name: `Fixed cost of a request: bare Hono vs our middleware (autocannon, ${CONNECTIONS} connections, ${SECONDS} s)`,
  async run() {
    const beforeRoot = process.env.BENCH_BEFORE_ROOT;
    const postgresUrl = benchPostgresUrl();
    const rows: BenchRow[] = [];
    const dbs = process.env.BENCH_API_DB;
    if (postgresUrl && dbs !== 'embedded') rows.push(...(await runMode(postgresUrl, beforeRoot)));
    if (dbs !== 'postgres') rows.push(...(await runMode(null, beforeRoot)));
    return rows;
  },
};
