/**
 * Issue 9.8 (DNS rebinding) and 15.2 (behind a proxy): only APP_URL's host and ALLOWED_HOSTS are answered
 * (421 JSON otherwise, before any handler: an empty database gets no administrator through a rebinding page);
 * CSRF compares Origin with our names, not with the request's Host; X-Forwarded-For and -Proto count only
 * from the proxies TRUST_PROXY names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrustProxy } from '../../api/lib/trust-proxy';
import { rawRequest } from '../helpers/raw-http';
import { startTestApp, type TestApp } from '../helpers/test-app';

const REBIND = 'rebind.attacker.example';

describe('Host header on a loopback APP_URL', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ web: true, env: { ALLOWED_HOSTS: 'ai.internal:8443' } });
  });
  afterAll(() => app?.close());

  const signUp = (host: string, origin: string) =>
    rawRequest(`${app.url}/auth/signup`, {
      method: 'POST',
      headers: { host, origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        email: 'mallory@attacker.example',
        password: 'Rebinding-is-fun-42',
      }).toString(),
    });

  it('refuses sign-up on an empty database with a rebinding Host and matching Origin', async () => {
    const res = await signUp(
      `${REBIND}:${new URL(app.url).port}`,
      `http://${REBIND}:${new URL(app.url).port}`,
    );
    expect(res.status).toBe(421);
    expect(JSON.parse(res.text).error.code).toBe('misdirected:host');
    const ctx = app.services.systemCtx();
    expect(await app.services.users.findByEmail(ctx, 'mallory@attacker.example')).toBeFalsy();
  });

  it('refuses a cookie-authenticated write with a rebinding Host and matching Origin', async () => {
    const { session } = await app.services.auth.signUp(app.services.systemCtx(), {
      email: 'owner@district.example',
      password: 'Correct-horse-battery-staple-42',
    });
    const cookie = session.cookie.split(';')[0]!;
    const write = (host: string, origin: string) =>
      rawRequest(`${app.url}/api/conversations`, {
        method: 'POST',
        headers: { host, origin, cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'rebound' }),
      });
    const rebound = await write(REBIND, `http://${REBIND}`);
    expect(rebound.status).toBe(421);
    // Our own host passes; a foreign Origin on our host is still CSRF.
    const own = new URL(app.url).host;
    expect((await write(own, app.url)).status).toBe(201);
    const csrf = await write(own, `http://${REBIND}`);
    expect(csrf.status).toBe(403);
    expect(JSON.parse(csrf.text).error.code).toBe('forbidden:csrf');
    // ALLOWED_HOSTS: another name of ours, as Host and as Origin.
    expect((await write('ai.internal:8443', 'https://ai.internal:8443')).status).toBe(201);
    expect((await write('localhost:9', 'http://localhost:9')).status).toBe(201); // loopback APP_URL
  });

  it('keeps /api/health open to load-balancer probes by target IP', async () => {
    const res = await rawRequest(`${app.url}/api/health`, { headers: { host: '10.0.3.17:3000' } });
    expect(res.status).toBe(200);
    expect(
      (await rawRequest(`${app.url}/api/auth/session`, { headers: { host: '10.0.3.17:3000' } })).status,
    ).toBe(421);
  });
});

describe('Host header on a public APP_URL', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ env: { APP_URL: 'https://ai.district.example' } });
  });
  afterAll(() => app?.close());

  it('answers its own name and refuses loopback names, which are not its names', async () => {
    const get = (host: string) => rawRequest(`${app.url}/api/auth/session`, { headers: { host } });
    expect((await get('ai.district.example')).status).toBe(401);
    expect((await get('AI.District.Example:443')).status).toBe(401);
    expect((await get(new URL(app.url).host)).status).toBe(421);
    expect((await get(REBIND)).status).toBe(421);
  });
});

describe('client IP behind proxies', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ web: true });
    await app.services.auth.signUp(app.services.systemCtx(), {
      email: 'who@district.example',
      password: 'Correct-horse-battery-staple-42',
    });
  });
  afterAll(() => app?.close());

  /** Signs in over HTTP with forwarding headers and reads the IP the audit log recorded for it. */
  async function recordedIp(trustProxy: string | undefined, headers: Record<string, string>) {
    // The middleware reads the parsed TRUST_PROXY per request, as it would read it from the environment.
    app.services.config.trustProxy = parseTrustProxy(trustProxy);
    const res = await rawRequest(`${app.url}/auth/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({
        email: 'who@district.example',
        password: 'Correct-horse-battery-staple-42',
      }).toString(),
    });
    expect(res.status).toBe(302);
    const events = await app.services.audit.list(app.services.systemCtx(), {
      action: 'auth.signin',
      limit: 10,
    });
    return events.find((e) => e.requestId === res.headers['x-request-id'])?.ip;
  }

  const spoofed = { 'x-forwarded-for': '198.51.100.66, 203.0.113.9', 'x-forwarded-proto': 'https' };

  it('ignores X-Forwarded-For from an untrusted peer (TRUST_PROXY unset, or a range without the peer)', async () => {
    expect(await recordedIp(undefined, spoofed)).toBe('127.0.0.1');
    expect(await recordedIp('10.0.0.0/8', spoofed)).toBe('127.0.0.1');
  });

  it('takes the client from the trusted hops only', async () => {
    expect(await recordedIp('1', spoofed)).toBe('203.0.113.9');
    expect(await recordedIp('127.0.0.0/8,203.0.113.0/24', spoofed)).toBe('198.51.100.66');
  });
});
