/** `models:add` and `models:list` run against a live server's embedded database (through its socket). */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli, type Spawned, spawnEntry, waitForHttp } from '../helpers/processes';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'aist-models-cli-'));
let server: Spawned | undefined;

beforeAll(async () => {
  const port = await freePort();
  server = spawnEntry('api/server.ts', { NODE_ENV: 'production', DATA_DIR: dataDir, PORT: String(port) });
  await waitForHttp(`http://127.0.0.1:${port}/api/ready`, server);
}, 180_000);
afterAll(async () => {
  await server?.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('models CLI while the server runs', () => {
  it('adds a model and lists it', () => {
    const add = runCli(
      [
        'models:add',
        '--provider',
        'openai-compatible',
        '--model',
        'llama3.1:8b',
        '--name',
        'Llama (district GPU)',
        '--base-url',
        'http://gpu.district.example:11434/v1',
        '--input-price',
        '0.05',
      ],
      { DATA_DIR: dataDir },
    );
    expect(add.stderr).toBe('');
    expect(add.status).toBe(0);
    expect(add.stdout).toMatch(/^added openai-compatible llama3\.1:8b as "Llama \(district GPU\)"/);

    const listed = runCli(['models:list', '--json'], { DATA_DIR: dataDir });
    expect(listed.status).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({
        provider: 'openai-compatible',
        model: 'llama3.1:8b',
        name: 'Llama (district GPU)',
        active: true,
        input: '0.050000',
      }),
    ]);
    // People get the prices as the admin pages write them.
    const table = runCli(['models:list'], { DATA_DIR: dataDir });
    expect(table.status).toBe(0);
    expect(table.stdout).toContain('$0.05 / ');
    expect(table.stdout).toContain('per 1M tokens');
    expect(table.stdout).not.toContain('0.050000');
  });

  it('refuses a duplicate and a bad flag with exit code 2 and a readable line', () => {
    const dup = runCli(['models:add', '--provider', 'openai-compatible', '--model', 'llama3.1:8b'], {
      DATA_DIR: dataDir,
    });
    expect(dup.status).toBe(2);
    expect(dup.stderr).toContain('already registered');
    const bad = runCli(['models:add', '--provider', 'skynet', '--model', 'x'], { DATA_DIR: dataDir });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/provider/);
    const missing = runCli(['models:add', '--provider', 'openai'], { DATA_DIR: dataDir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--model is required');
  });
});
