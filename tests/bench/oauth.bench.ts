/**
 * OAuth and MCP under load (issue 11): autocannon, 50 connections × 5 s each after a 1 s warm-up, against
 * our API server (production mode): GET /api/health as the yardstick measured in the same run, the token
 * endpoint (client_credentials with client_secret_basic — each call verifies the secret, writes a grant and
 * signs an RS256 JWT), and an authenticated MCP `tools/call` of `list_models` (no model call; a stateless
 * SDK server per request). The MCP call uses an `sk-` key with a budget out of reach: an OAuth token's
 * per-minute budget (client + user, 60) would answer 429 from the second second on.
 * Figures: req/s, p50/p99 and the ratio to /api/health. Postgres (BENCH_DATABASE_URL or TEST_DATABASE_URL)
 * when configured, then the embedded database; BENCH_OAUTH_DB=postgres|embedded picks one.
 */
import autocannon from 'autocannon';
import { type Bench, type BenchRow, round } from './bench';
import { type BenchServer, benchPostgresUrl, startBenchServer } from './bench-server';

const CONNECTIONS = 50;
const SECONDS = 5;
const WARM_UP_SECONDS = 1;

interface Seeded {
  clientId: string;
  secret: string;
  key: string;
}

function seed(target: BenchServer): Promise<Seeded> {
  return target.seed(async (services, ctx) => {
    await services.users.create(ctx, { email: 'admin@bench.example', roles: ['administrator'] });
    const staff = await services.users.create(ctx, { email: 'teacher@bench.example', roles: ['staff'] });
    await services.models.create(ctx, {
      provider: 'openai-compatible',
      modelId: 'bench-model',
      baseUrl: 'http://127.0.0.1:9/v1',
    });
    const { secret: key } = await services.apiKeys.createForEmail(ctx, staff.email, {
      name: 'bench agent',
      scopes: ['mcp:read', 'mcp:write'],
      rateLimitRpm: 100_000,
    });
    const { client, secret } = await services.oauthClients.create(ctx, {
      name: 'Bench service',
      redirectUris: ['https://bench.example/callback'],
      scopes: ['models:read', 'mcp:read'],
      serviceUserEmail: staff.email,
    });
    return { clientId: client.id, secret: secret!, key };
  });
}

interface Request {
  name: string;
  path: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

function requests(s: Seeded): Request[] {
  return [
    { name: 'GET /api/health', path: '/api/health', method: 'GET', headers: {} },
    {
      name: 'POST /api/oauth/token (client_credentials)',
      path: '/api/oauth/token',
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${s.clientId}:${s.secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'models:read' }).toString(),
    },
    {
      name: 'POST /api/mcp tools/call list_models (sk- key)',
      path: '/api/mcp',
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${s.key}`,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'list_models', arguments: {} },
      }),
    },
  ];
}

/** One call first: a wrong setup fails loudly instead of benchmarking error answers. */
async function check(base: string, r: Request): Promise<void> {
  const res = await fetch(`${base}${r.path}`, { method: r.method, headers: r.headers, body: r.body });
  const text = await res.text();
  if (res.status !== 200 || text.includes('"isError":true'))
    throw new Error(`${r.name} answered ${res.status}: ${text.slice(0, 300)}`);
}

async function runMode(postgresUrl: string | null): Promise<BenchRow[]> {
  const target = await startBenchServer({ postgresUrl });
  try {
    const seeded = await seed(target);
    const rows: BenchRow[] = [];
    let health = 0;
    for (const r of requests(seeded)) {
      await check(target.base, r);
      const options = {
        url: `${target.base}${r.path}`,
        method: r.method,
        headers: r.headers,
        body: r.body,
        connections: CONNECTIONS,
      };
      await autocannon({ ...options, duration: WARM_UP_SECONDS });
      const m = await autocannon({ ...options, duration: SECONDS });
      if (!health) health = m.requests.average;
      rows.push({
        db: target.mode,
        request: r.name,
        'req/s': round(m.requests.average, 0),
        'p50 ms': m.latency.p50,
        'p99 ms': m.latency.p99,
        '× health': round(m.requests.average / health, 3),
        errors: m.errors + m.non2xx,
      });
    }
    return rows;
  } catch (err) {
    throw new Error(`${(err as Error).message}\nserver output:\n${target.server.output().slice(-2000)}`);
  } finally {
    await target.cleanup();
  }
}

export const oauthBench: Bench = {
  id: 'oauth',
  name: `OAuth token endpoint and MCP tools/call (autocannon, ${CONNECTIONS} connections, ${SECONDS} s)`,
  async run() {
    const postgresUrl = benchPostgresUrl();
    const only = process.env.BENCH_OAUTH_DB;
    const rows: BenchRow[] = [];
    if (postgresUrl && only !== 'embedded') rows.push(...(await runMode(postgresUrl)));
    if (only !== 'postgres') rows.push(...(await runMode(null)));
    return rows;
  },
};
