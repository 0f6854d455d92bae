/**
 * API keys over HTTP: creation (secret once, never listed), the 10-key cap, scopes narrowed by the owner's
 * roles, Bearer resolution on /api/v1 only, revoked/expired/disabled → 401, admin overview and revoke,
 * the request log, and the CLI's stdout contract.
 */

import { execFile } from 'node:child_process';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys } from '../../db/schema/index';
import { childEnv, ROOT } from '../helpers/processes';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
const people: Record<'admin' | 'staff' | 'student', { cookie: string; id: string }> = {} as never;

async function signUp(email: string) {
  const { session, user } = await app.services.auth.signUp(app.services.systemCtx(), {
    email,
    password: 'Correct-horse-battery-staple-42',
    name: email.split('@')[0],
  });
  return { cookie: session.cookie.split(';')[0]!, id: user.id };
}

function call(
  who: keyof typeof people | null,
  path: string,
  init: RequestInit & { json?: unknown; key?: string } = {},
) {
  const headers = new Headers(init.headers);
  if (who) headers.set('cookie', people[who].cookie);
  if (init.key) headers.set('authorization', `Bearer ${init.key}`);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  return app.fetch(path, {
    ...init,
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
}

async function createKey(who: keyof typeof people, body: Record<string, unknown>) {
  const res = await call(who, '/api/me/api-keys', { method: 'POST', json: body });
  const json = (await res.json()) as {
    key: { id: string; prefix: string; scopes: string[] };
    secret: string;
  };
  return { res, ...json };
}

beforeAll(async () => {
  app = await startTestApp();
  people.admin = await signUp('admin@district.example');
  people.staff = await signUp('teacher@district.example');
  people.student = await signUp('pupil@district.example');
  await app.services.users.update(app.services.systemCtx(), people.student.id, { roles: ['student'] });
});
afterAll(async () => {
  await app?.close();
});

describe('creating and listing keys', () => {
  it('returns the secret once, in the sk- format, and never again', async () => {
    const { res, key, secret } = await createKey('staff', { name: 'LMS', scopes: ['chat', 'models:read'] });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(secret).toMatch(/^sk-[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(key.prefix)).toBe(true);
    expect(key.scopes).toEqual(['chat', 'models:read']);
    const list = await call('staff', '/api/me/api-keys');
    const text = await list.text();
    expect(list.status).toBe(200);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(12));
    const [row] = await app.database.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.hash).not.toContain(secret);
  });

  it('rejects scopes the owner’s roles do not back, names unknown scopes, and caps user-set limits', async () => {
    // Students hold no api:keys capability by default; an administrator may still issue them a key.
    expect((await createKey('student', { name: 'x', scopes: ['chat'] })).res.status).toBe(403);
    await expect(
      app.services.apiKeys.createForEmail(app.services.systemCtx(), 'pupil@district.example', {
        name: 'x',
        scopes: ['knowledge:write'],
      }),
    ).rejects.toMatchObject({
      status: 422,
      details: { fields: { scopes: expect.stringContaining('knowledge:write') } },
    });
    const unknown = await call('staff', '/api/me/api-keys', {
      method: 'POST',
      json: { name: 'x', scopes: ['root'] },
    });
    expect(unknown.status).toBe(422);
    expect(
      ((await unknown.json()) as { error: { details: { fields: object } } }).error.details.fields,
    ).toHaveProperty('scopes.0');
    const fast = await createKey('staff', { name: 'x', scopes: ['chat'], rateLimitRpm: 1000 });
    expect(fast.res.status).toBe(422);
    const adminFast = await createKey('admin', { name: 'bulk', scopes: ['*'], rateLimitRpm: 1000 });
    expect(adminFast.res.status).toBe(201);
    const past = await createKey('staff', { name: 'x', scopes: ['chat'], expiresAt: '2001-01-01T00:00:00Z' });
    expect(past.res.status).toBe(422);
  });

  it('allows at most 10 active keys per user (revoking one frees a slot)', async () => {
    const capped = await signUp('capped@district.example');
    const as = (path: string, init: RequestInit & { json?: unknown } = {}) =>
      app.fetch(path, {
        ...init,
        headers: { cookie: capped.cookie, 'content-type': 'application/json' },
        body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
      });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await as('/api/me/api-keys', { method: 'POST', json: { name: `k${i}`, scopes: ['chat'] } });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { key: { id: string } }).key.id);
    }
    const eleventh = await as('/api/me/api-keys', {
      method: 'POST',
      json: { name: 'k10', scopes: ['chat'] },
    });
    expect(eleventh.status).toBe(409);
    expect((await as(`/api/me/api-keys/${ids[0]}`, { method: 'DELETE' })).status).toBe(200);
    expect(
      (await as('/api/me/api-keys', { method: 'POST', json: { name: 'k11', scopes: ['chat'] } })).status,
    ).toBe(201);
  });

  it('needs the api:keys capability and a session (a key cannot mint keys)', async () => {
    expect((await call(null, '/api/me/api-keys')).status).toBe(401);
    const { secret } = await createKey('staff', { name: 'no-mint', scopes: ['*'] });
    const viaKey = await call(null, '/api/me/api-keys', { key: secret });
    expect(viaKey.status).toBe(401);
  });
});

describe('using keys on /api/v1', () => {
  it('resolves the owner with effective scopes (a student’s * = only what students may do)', async () => {
    const { secret, key } = await app.services.apiKeys.createForEmail(
      app.services.systemCtx(),
      'pupil@district.example',
      {
        name: 'all',
        scopes: ['*'],
      },
    );
    const res = await call(null, '/api/v1/me', { key: secret });
    expect(res.status).toBe(200);
    const me = (await res.json()) as { authType: string; scopes: string[]; apiKey: { id: string } };
    expect(me.authType).toBe('api_key');
    expect(me.apiKey.id).toBe(key.id);
    expect(me.scopes).toEqual([
      'assistants:execute',
      'assistants:read',
      'chat',
      'mcp:read',
      'mcp:write',
      'models:read',
    ]);
  });

  it('answers 401 for unknown, malformed, revoked and expired keys and a disabled owner', async () => {
    const bogus = `sk-${'A'.repeat(43)}`;
    const unknown = await call(null, '/api/v1/me', { key: bogus });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toBe('Bearer');
    expect((await call(null, '/api/v1/me', { key: 'sk-short' })).status).toBe(401);

    const revoked = await createKey('staff', { name: 'to-revoke', scopes: ['chat'] });
    expect((await call(null, '/api/v1/me', { key: revoked.secret })).status).toBe(200);
    await call('staff', `/api/me/api-keys/${revoked.key.id}`, { method: 'DELETE' });
    const afterRevoke = await call(null, '/api/v1/me', { key: revoked.secret });
    expect(afterRevoke.status).toBe(401);
    expect(((await afterRevoke.json()) as { error: { message: string } }).error.message).toMatch(/revoked/);

    const expiring = await createKey('staff', { name: 'to-expire', scopes: ['chat'] });
    await app.database.db
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, expiring.key.id));
    const afterExpiry = await call(null, '/api/v1/me', { key: expiring.secret });
    expect(afterExpiry.status).toBe(401);
    expect(((await afterExpiry.json()) as { error: { message: string } }).error.message).toMatch(/expired/);

    const owner = await signUp('leaver@district.example');
    const leaverKey = await app.services.apiKeys.createForEmail(
      app.services.systemCtx(),
      'leaver@district.example',
      {
        name: 'leaver',
        scopes: ['chat'],
      },
    );
    expect((await call(null, '/api/v1/me', { key: leaverKey.secret })).status).toBe(200);
    await app.services.users.update(app.services.systemCtx(), owner.id, { status: 'disabled' });
    expect((await call(null, '/api/v1/me', { key: leaverKey.secret })).status).toBe(401);
  });

  it('ignores Bearer keys outside /api/v1 (an admin key cannot reach the admin API)', async () => {
    const { secret } = await createKey('admin', { name: 'admin-all', scopes: ['*'] });
    expect((await call(null, '/api/v1/me', { key: secret })).status).toBe(200);
    expect((await call(null, '/api/admin/users', { key: secret })).status).toBe(401);
    expect((await call(null, '/api/admin/api-keys', { key: secret })).status).toBe(401);
  });

  it('lets the browser session use /api/v1 too (not scope-limited)', async () => {
    const res = await call('staff', '/api/v1/me');
    expect(res.status).toBe(200);
    const me = (await res.json()) as { authType: string; apiKey: unknown; scopes: string[] };
    expect(me).toMatchObject({ authType: 'session', apiKey: null });
    expect(me.scopes).toContain('knowledge:write');
  });

  it('updates last_used_at at most once a minute', async () => {
    const { secret, key } = await createKey('staff', { name: 'touch', scopes: ['chat'] });
    await call(null, '/api/v1/me', { key: secret });
    await app.services.apiKeys.settled();
    const [first] = await app.database.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(first!.lastUsedAt).not.toBeNull();
    await call(null, '/api/v1/me', { key: secret });
    await app.services.apiKeys.settled();
    const [second] = await app.database.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(second!.lastUsedAt!.getTime()).toBe(first!.lastUsedAt!.getTime());
  });
});

describe('admin overview', () => {
  it('lists every key with its owner and 24-hour usage, paginates by cursor, and revokes', async () => {
    const { secret, key } = await createKey('staff', { name: 'watched', scopes: ['chat'] });
    for (let i = 0; i < 3; i++) await call(null, '/api/v1/me', { key: secret });
    await call(null, '/api/v1/nope', { key: secret });
    await app.services.apiKeys.usage.flush();

    expect((await call('staff', '/api/admin/api-keys')).status).toBe(403);
    const page1 = await call('admin', '/api/admin/api-keys?limit=2');
    expect(page1.status).toBe(200);
    const body1 = (await page1.json()) as { items: { id: string }[]; nextCursor: string | null };
    expect(body1.items).toHaveLength(2);
    expect(body1.nextCursor).toBeTruthy();
    const seen = new Set(body1.items.map((k) => k.id));
    let cursor = body1.nextCursor;
    let watched: { usage24h: { requests: number; errors: number }; owner: { email: string } } | undefined;
    while (cursor) {
      const next = (await (await call('admin', `/api/admin/api-keys?limit=5&cursor=${cursor}`)).json()) as {
        items: { id: string; usage24h: { requests: number; errors: number }; owner: { email: string } }[];
        nextCursor: string | null;
      };
      for (const k of next.items) {
        expect(seen.has(k.id)).toBe(false);
        seen.add(k.id);
        if (k.id === key.id) watched = k;
      }
      cursor = next.nextCursor;
    }
    watched ??= (
      (await (await call('admin', '/api/admin/api-keys?limit=2')).json()) as { items: never[] }
    ).items.find((k: { id: string }) => k.id === key.id);
    expect(watched).toMatchObject({
      owner: { email: 'teacher@district.example' },
      usage24h: { requests: 4, errors: 1 },
    });

    const usage = await call('admin', `/api/admin/api-keys/${key.id}/usage`);
    const log = (await usage.json()) as { items: { endpoint: string; status: number; method: string }[] };
    expect(log.items[0]).toMatchObject({ endpoint: '(no route)', status: 404, method: 'GET' });
    expect(log.items[1]).toMatchObject({ endpoint: '/api/v1/me', status: 200 });

    expect((await call('admin', '/api/admin/api-keys?cursor=garbage')).status).toBe(422);
    expect((await call('admin', `/api/admin/api-keys/${key.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await call(null, '/api/v1/me', { key: secret })).status).toBe(401);
  });
});

/** The CLI as a child process, asynchronously: the test process itself serves the PGlite socket. */
function runCli(args: string[], env: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'api/cli/main.ts', ...args],
      { cwd: ROOT, env: childEnv({ LOG_LEVEL: 'warn', ...env }), timeout: 120_000 },
      (err, stdout, stderr) =>
        resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('CLI apikeys:create', () => {
  it('prints the key alone on stdout, and the key works', { timeout: 120_000 }, async () => {
    const target = app.database.target;
    const env: Record<string, string> =
      target.kind === 'socket' ? { DATA_DIR: target.socketDir } : { DATABASE_URL: target.url };
    const args = [
      'apikeys:create',
      '--email',
      'teacher@district.example',
      '--name',
      'cli',
      '--scopes',
      'chat,models:read',
    ];
    const result = await runCli([...args, '--rate-limit', '30'], {
      ...env,
      APP_SECRET: app.services.config.APP_SECRET,
    });
    expect(result.status, result.stderr).toBe(0);
    // Logs may go to stderr (warnings under load); the key never does, and stdout holds nothing else.
    expect(result.stderr).not.toContain('sk-');
    expect(result.stdout).toMatch(/^sk-[A-Za-z0-9_-]{43}\n$/);
    const me = await call(null, '/api/v1/me', { key: result.stdout.trim() });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      scopes: ['chat', 'models:read'],
      apiKey: { name: 'cli', rateLimitRpm: 30 },
    });
    expect(me.headers.get('ratelimit-limit')).toBe('30');

    const bad = await runCli([...args.slice(0, 5), '--scopes', 'nope'], env);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');

    // Issue 15.11: a whole number above the ceiling is told the ceiling, not "must be a whole number".
    const tooMany = await runCli([...args, '--rate-limit', '1000000'], {
      ...env,
      APP_SECRET: app.services.config.APP_SECRET,
    });
    expect(tooMany.status).not.toBe(0);
    expect(tooMany.stdout).toBe('');
    expect(tooMany.stderr).toContain('must be at most 100,000');
    expect(tooMany.stderr).not.toContain('whole number');
  });
});
