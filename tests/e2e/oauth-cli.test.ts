/**
 * `oauth-clients:create` prints exactly one JSON object on stdout (`client_secret` only for confidential
 * clients) and the client works at the token endpoint; `oauth-clients:list` shows it without secrets;
 * `oauth-keys:rotate` adds a signing key the server publishes. Against a live server's embedded database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli, type Spawned, spawnEntry, waitForHttp } from '../helpers/processes';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'aist-oauth-cli-'));
let server: Spawned | undefined;
let base = '';

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawnEntry('api/server.ts', {
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    PORT: String(port),
    APP_URL: base,
  });
  await waitForHttp(`${base}/api/ready`, server);
}, 180_000);
afterAll(async () => {
  await server?.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * GET on a new connection: runCli blocks the event loop (spawnSync), so fetch's pooled keep-alive sockets
 * can be ones the server has already closed.
 */
function getJson(url: string): Promise<{ keys: { kid: string }[] }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve(JSON.parse(body)));
      })
      .on('error', reject);
  });
}

describe('OAuth CLI while the server runs', () => {
  it('creates a confidential client printing one JSON object, and the secret works', async () => {
    const users = runCli(
      ['users:create', '--email', 'svc@district.example', '--name', 'Reports', '--role', 'staff'],
      { DATA_DIR: dataDir },
    );
    expect(users.status, users.stderr).toBe(0);
    const created = runCli(
      [
        'oauth-clients:create',
        '--name',
        'Gradebook',
        '--redirect-uri',
        'https://gradebook.district.example/callback',
        '--redirect-uri',
        'http://127.0.0.1/callback',
        '--scopes',
        'openid profile chat models:read',
        '--service-user',
        'svc@district.example',
      ],
      { DATA_DIR: dataDir },
    );
    expect(created.status, created.stderr).toBe(0);
    const out = JSON.parse(created.stdout);
    expect(Object.keys(out)).toEqual(['client_id', 'client_secret']);
    expect(created.stdout.trim().split('\n')).toHaveLength(1);

    const token = await fetch(`${base}/api/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: 'chat',
        client_id: out.client_id,
        client_secret: out.client_secret,
      }),
    });
    expect(token.status).toBe(200);
    const { access_token } = await token.json();
    const me = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(await me.json()).toMatchObject({ email: 'svc@district.example', authType: 'oauth' });

    const listed = runCli(['oauth-clients:list', '--json'], { DATA_DIR: dataDir });
    expect(listed.status).toBe(0);
    expect(listed.stdout).not.toContain(out.client_secret);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ client_id: out.client_id, name: 'Gradebook', type: 'confidential' }),
    ]);
  });

  it('creates a public client without a secret, and refuses bad input with exit code 2', () => {
    const created = runCli(
      [
        'oauth-clients:create',
        '--name',
        'Desktop agent',
        '--redirect-uri',
        'http://127.0.0.1/callback',
        '--scopes',
        'openid mcp:read',
        '--public',
      ],
      { DATA_DIR: dataDir },
    );
    expect(created.status, created.stderr).toBe(0);
    expect(Object.keys(JSON.parse(created.stdout))).toEqual(['client_id']);
    const bad = runCli(
      [
        'oauth-clients:create',
        '--name',
        'X',
        '--redirect-uri',
        'http://evil.example/cb',
        '--scopes',
        'openid',
      ],
      { DATA_DIR: dataDir },
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/https/);
    expect(bad.stdout).toBe('');
  });

  it('rotates the signing key; the server publishes both', async () => {
    const before = (await getJson(`${base}/api/oauth/jwks`)).keys.length;
    const rotated = runCli(['oauth-keys:rotate', '--json'], { DATA_DIR: dataDir });
    expect(rotated.status, rotated.stderr).toBe(0);
    const { kid } = JSON.parse(rotated.stdout);
    const kids = (await (await fetch(`${base}/api/oauth/jwks`)).json()).keys.map(
      (k: { kid: string }) => k.kid,
    );
    expect(kids).toContain(kid);
    expect(kids.length).toBe(before + 1);
  });
});
