/**
 * The operator's view: the server, CLI and workers as real processes on one embedded data directory.
 */
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  descendants,
  freePort,
  isAlive,
  runCli,
  type Spawned,
  spawnCommand,
  spawnEntry,
  waitForHttp,
} from '../helpers/processes';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'aist-proc-'));
const running: Spawned[] = [];
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  rmSync(dataDir, { recursive: true, force: true });
});

function startServer(env: Record<string, string>) {
  const proc = spawnEntry('api/server.ts', { NODE_ENV: 'production', DATA_DIR: dataDir, ...env });
  running.push(proc);
  return proc;
}

describe('bad configuration', () => {
  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ DATABASE_URL: 'nonsense' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'chatty' }, 'LOG_LEVEL'],
  ])('exits non-zero with one readable line for %o', async (env, variable) => {
    const proc = spawnEntry('api/server.ts', { DATA_DIR: dataDir, ...env });
    const code = await proc.exited;
    expect(code).not.toBe(0);
    const lines = proc.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^ai-studio: invalid configuration: ${variable}: `));
    expect(proc.output()).not.toMatch(/\n\s+at /); // no stack trace
  });
});

describe('embedded database shared by server, CLI and workers', () => {
  let port: number;
  let server: Spawned;

  it('starts the server on a fresh data directory', async () => {
    port = await freePort();
    server = startServer({ PORT: String(port) });
    await waitForHttp(`http://127.0.0.1:${port}/api/ready`, server);
    expect(existsSync(path.join(dataDir, '.s.PGSQL.5432'))).toBe(true);
  });

  it('logs one JSON line per request with request id, status and duration', async () => {
    await fetch(`http://127.0.0.1:${port}/api/health`, { headers: { 'x-request-id': 'log-probe-1' } });
    await expect
      .poll(
        () =>
          server
            .output()
            .split('\n')
            .find((l) => l.includes('log-probe-1')),
        { timeout: 5_000 },
      )
      .toBeTruthy();
    const line = JSON.parse(
      server
        .output()
        .split('\n')
        .find((l) => l.includes('log-probe-1'))!,
    );
    expect(line).toMatchObject({
      requestId: 'log-probe-1',
      status: 200,
      path: '/api/health',
      msg: 'request',
    });
    expect(typeof line.durationMs).toBe('number');
  });

  it("keeps an idle keep-alive connection past Node's 5 s default (a load balancer reuses it)", async () => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8').on('data', (d) => {
      received += d;
    });
    const ask = async () => {
      const before = (received.match(/HTTP\/1\.1 200/g) ?? []).length;
      socket.write('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
      await expect.poll(() => (received.match(/HTTP\/1\.1 200/g) ?? []).length).toBe(before + 1);
    };
    await once(socket, 'connect');
    await ask();
    await new Promise((r) => setTimeout(r, 6_500));
    expect(socket.destroyed || socket.readableEnded).toBe(false);
    await ask();
    socket.destroy();
  });

  it('refuses a second server on the same data directory with a clear message', async () => {
    const second = spawnEntry('api/server.ts', {
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
    });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/data directory .* is already open in process \d+/);
  });

  it('lets the CLI change a setting through the running server, which then serves the new value', async () => {
    const status = runCli(['db:status', '--json'], { DATA_DIR: dataDir });
    expect(status.status).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ mode: 'embedded', via: 'server socket' });

    const set = runCli(['settings:set', 'app.name', 'Springfield Schools AI'], { DATA_DIR: dataDir });
    expect(set.stderr).toBe('');
    expect(set.status).toBe(0);
    expect(set.stdout).toContain('app.name = Springfield Schools AI');

    const secret = runCli(['settings:set', 'openai.api_key', 'sk-proc-test-abcdef123456'], {
      DATA_DIR: dataDir,
    });
    expect(secret.stdout).toContain('sk-••••••••3456');
    expect(secret.stdout).not.toContain('sk-proc-test');

    await expect
      .poll(
        async () =>
          (await (await fetch(`http://127.0.0.1:${port}/`)).text()).includes('Springfield Schools AI'),
        {
          timeout: 15_000,
          interval: 500,
        },
      )
      .toBe(true);
  });

  it('answers CLI mistakes with exit code 2 and a readable message', () => {
    const unknown = runCli(['no:such-command'], { DATA_DIR: dataDir });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^error: unknown command "no:such-command"/);
    const bad = runCli(['settings:set', 'Not A Key', 'x'], { DATA_DIR: dataDir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^error: key: /);
  });

  it('runs job workers in a separate process through the socket', async () => {
    const workers = spawnEntry('workers/index.ts', { DATA_DIR: dataDir });
    running.push(workers);
    await expect.poll(() => workers.output(), { timeout: 30_000 }).toContain('workers running');
    expect(await workers.stop()).toBe(0);
  });

  it('shuts down gracefully on SIGTERM, releases the data directory, and keeps the data on restart', async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(existsSync(path.join(dataDir, 'pglite.lock'))).toBe(false);
    const get = runCli(['settings:get', 'app.name', '--json'], { DATA_DIR: dataDir });
    expect(get.status).toBe(0);
    expect(JSON.parse(get.stdout)).toMatchObject({ value: 'Springfield Schools AI', source: 'database' });
  });
});

describe('npm start', () => {
  it('stops the server gracefully when the npm process gets SIGTERM, leaving no process behind', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aist-npm-'));
    try {
      const port = await freePort();
      const npm = spawnCommand('npm', ['start', '--silent'], { DATA_DIR: dir, PORT: String(port) });
      running.push(npm);
      await waitForHttp(`http://127.0.0.1:${port}/api/health`, npm);
      const below = descendants(npm.child.pid!);
      expect(below.length).toBeGreaterThan(0);

      expect(await npm.stop('SIGTERM')).toBe(0);
      expect(npm.output()).toContain('shutting down');
      expect(npm.output()).toContain('"msg":"stopped"');
      await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
      // Helpers of the server (tsx's esbuild service) end when their parent's pipe closes.
      await expect.poll(() => below.filter(isAlive), { timeout: 5_000 }).toEqual([]);
      expect(existsSync(path.join(dir, 'pglite.lock'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
