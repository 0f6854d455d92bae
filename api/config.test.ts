import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'aist-cfg-'));
const SECRET = 'x'.repeat(40);

function problem(env: Record<string, string>): string {
  try {
    parseConfig({ APP_SECRET: SECRET, DATA_DIR: tmp(), ...env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const dir = tmp();
    const config = parseConfig({ APP_SECRET: SECRET, DATA_DIR: dir });
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      APP_URL: 'http://localhost:3000',
      DATA_DIR: dir,
      LOG_LEVEL: 'info',
      RUN_WORKERS: true,
      WEB_CONCURRENCY: 1,
      embedded: true,
      secureCookies: false,
    });
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT: must be a number \(got "abc"\)$/],
    [{ PORT: '70000' }, /^PORT: must be between 0 and 65535/],
    [{ DATABASE_URL: 'nonsense' }, /^DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/],
    [{ DATABASE_URL: 'mysql://db/x' }, /^DATABASE_URL: /],
    [{ APP_URL: 'ftp://x' }, /^APP_URL: must be an http\(s\) URL/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: /],
    [{ REDIS_URL: 'http://x' }, /^REDIS_URL: must be a redis/],
    [{ RUN_WORKERS: 'maybe' }, /^RUN_WORKERS: /],
    [{ WEB_CONCURRENCY: '0' }, /^WEB_CONCURRENCY: must be at least 1/],
    [{ WEB_CONCURRENCY: 'two' }, /^WEB_CONCURRENCY: must be a number/],
    [{ WEB_CONCURRENCY: '2' }, /^WEB_CONCURRENCY: must be 1 with the embedded database, .* set DATABASE_URL/],
  ])('names the variable and the problem for %o', (env, expected) => {
    expect(problem(env)).toMatch(expected);
  });

  it('runs several server processes only on Postgres', () => {
    const config = parseConfig({
      APP_SECRET: SECRET,
      DATA_DIR: tmp(),
      DATABASE_URL: 'postgres://db/app',
      WEB_CONCURRENCY: '4',
    });
    expect(config.WEB_CONCURRENCY).toBe(4);
  });

  it('never echoes APP_SECRET in an error', () => {
    expect(problem({ APP_SECRET: 'short-secret' })).toBe('APP_SECRET: must be at least 32 characters');
  });

  it('treats empty strings as unset', () => {
    expect(parseConfig({ APP_SECRET: SECRET, DATA_DIR: tmp(), PORT: '', DATABASE_URL: '' }).PORT).toBe(3000);
  });

  it('generates APP_SECRET once into DATA_DIR with owner-only permissions', () => {
    const dir = path.join(tmp(), 'nested', 'data');
    const first = parseConfig({ DATA_DIR: dir }).APP_SECRET;
    const file = path.join(dir, 'app-secret');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(parseConfig({ DATA_DIR: dir }).APP_SECRET).toBe(first);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
  });

  it('requires APP_SECRET for a production deployment on Postgres', () => {
    expect(() =>
      parseConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/app', DATA_DIR: tmp() }),
    ).toThrow(/^APP_SECRET: is required in production/);
    // The embedded laptop mode keeps generating it, even with NODE_ENV=production.
    expect(parseConfig({ NODE_ENV: 'production', DATA_DIR: tmp() }).APP_SECRET).toBeTruthy();
    // `npm start` against a local Postgres sets no NODE_ENV: production behaviour, generated secret.
    const local = parseConfig({ DATABASE_URL: 'postgres://localhost/app', DATA_DIR: tmp() });
    expect(local).toMatchObject({ NODE_ENV: 'production', deployed: false });
    expect(local.APP_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it('uses secure cookies when the public URL is https', () => {
    const config = parseConfig({ APP_SECRET: SECRET, DATA_DIR: tmp(), APP_URL: 'https://ai.district.org/' });
    expect(config.APP_URL).toBe('https://ai.district.org');
    expect(config.secureCookies).toBe(true);
  });
});

describe('TRUST_PROXY and ALLOWED_HOSTS', () => {
  const base = { APP_SECRET: 'x'.repeat(32), DATA_DIR: os.tmpdir() };
  it('parses them', () => {
    const config = parseConfig({
      ...base,
      TRUST_PROXY: '1',
      ALLOWED_HOSTS: 'AI.internal:8443, ai2.district.org',
    });
    expect(config.trustProxy).toEqual({ kind: 'hops', hops: 1 });
    expect(config.allowedHosts).toEqual(['ai.internal:8443', 'ai2.district.org']);
    expect(parseConfig(base).trustProxy).toEqual({ kind: 'off' });
  });

  it('fails with one line naming the variable', () => {
    expect(() => parseConfig({ ...base, TRUST_PROXY: 'yes please' })).toThrow(
      /^TRUST_PROXY: must be a hop count .*"yes please"/,
    );
    expect(() => parseConfig({ ...base, ALLOWED_HOSTS: 'ok.example,https://bad.example/' })).toThrow(
      /^ALLOWED_HOSTS: must be comma-separated host names/,
    );
  });
});

describe('upstream transport variables', () => {
  it('parses the proxy and the bounds, and names a bad one', () => {
    const config = parseConfig({
      APP_SECRET: SECRET,
      DATA_DIR: tmp(),
      HTTPS_PROXY: 'http://proxy.district.example:3128',
      NO_PROXY: 'localhost,.internal',
      UPSTREAM_MAX_SOCKETS: '64',
    });
    expect(config.upstreamProxy.https?.host).toBe('proxy.district.example:3128');
    expect(config.upstreamProxy.noProxy).toEqual(['localhost', '.internal']);
    expect(config.UPSTREAM_MAX_SOCKETS).toBe(64);
    expect(config.UPSTREAM_CONNECT_TIMEOUT_MS).toBe(10_000);
    expect(problem({ HTTPS_PROXY: 'http://[bad' })).toMatch(/^HTTPS_PROXY: .*not a URL/);
    expect(problem({ UPSTREAM_HEADERS_TIMEOUT_MS: '10' })).toMatch(
      /^UPSTREAM_HEADERS_TIMEOUT_MS: must be at least 1000/,
    );
  });
});
