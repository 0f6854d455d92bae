/**
 * Bootstrap and recovery from the shell while the server runs on its embedded database: the CLI joins
 * through the server's socket, and what it does is visible to the running server at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli, type Spawned, spawnEntry, waitForHttp } from '../helpers/processes';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'aist-users-cli-'));
let server: Spawned | undefined;
let base = '';

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawnEntry('api/server.ts', { NODE_ENV: 'production', DATA_DIR: dataDir, PORT: String(port) });
  await waitForHttp(`${base}/api/ready`, server);
}, 180_000);
afterAll(async () => {
  await server?.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCli(args, { DATA_DIR: dataDir });

function signIn(email: string, password: string) {
  return fetch(`${base}/auth/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
    body: new URLSearchParams({ email, password }),
  });
}

describe('users CLI while the server runs', () => {
  it('creates the first account, which becomes administrator', () => {
    const r = cli('users:create', '--email', 'root@example.org', '--password', 'root password 1', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).roles).toEqual([{ name: 'administrator', source: 'manual' }]);
  });

  it('creates a student, refuses a weak password naming the field, lists users and roles', async () => {
    const r = cli(
      'users:create',
      '--email',
      'kid@example.org',
      '--password',
      'kid password 1',
      '--role',
      'student',
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('created kid@example.org (student)');
    const weak = cli('users:create', '--email', 'weak@example.org', '--password', 'short');
    expect(weak.status).toBe(2);
    expect(weak.stderr).toMatch(/password/);
    const list = JSON.parse(cli('users:list', '--json').stdout);
    expect(list.map((u: { email: string }) => u.email).sort()).toEqual([
      'kid@example.org',
      'root@example.org',
    ]);
    const roles = JSON.parse(cli('roles:list', '--json').stdout);
    expect(roles.find((x: { name: string }) => x.name === 'student').capabilities).toBe(
      'assistants:use chat:use',
    );
    // The running server sees the CLI's user at once.
    expect((await signIn('kid@example.org', 'kid password 1')).status).toBe(302);
  });

  it('resets a password and disables an account', async () => {
    const set = cli('users:set-password', '--email', 'KID@example.org', '--password', 'new kid password');
    expect(set.status).toBe(0);
    expect((await signIn('kid@example.org', 'kid password 1')).status).toBe(401);
    expect((await signIn('kid@example.org', 'new kid password')).status).toBe(302);
    const off = cli('users:disable', '--email', 'kid@example.org');
    expect(off.status).toBe(0);
    expect(off.stdout).toContain('kid@example.org is now disabled');
    expect((await signIn('kid@example.org', 'new kid password')).status).toBe(403);
    const missing = cli('users:disable', '--email', 'ghost@example.org');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('No user with e-mail ghost@example.org');
  });
});
