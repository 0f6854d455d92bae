/**
 * An OAuth client's own per-person rate limit (issue 16): set by an administrator (validated, audited, on
 * /admin/oauth-clients), applied to its access tokens on /api/v1, and a change reaches the next request
 * though the token's grant was cached.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../api/lib/errors';
import { documentClient, usersForEachRole } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let adminCookie: string;
beforeAll(async () => {
  app = await startTestApp({ web: true });
  app.services.config.APP_URL = app.url;
  adminCookie = (await usersForEachRole(app)).cookies.administrator;
  await app.services.users.create(app.services.systemCtx(), {
    email: 'service@lakeside.example',
    roles: ['staff'],
  });
});
afterAll(() => app?.close());

const sys = () => app.services.systemCtx();

const newClient = (rateLimitRpm?: number) =>
  app.services.oauthClients.create(sys(), {
    name: 'Limited app',
    redirectUris: ['https://app.example/callback'],
    scopes: ['models:read'],
    serviceUserEmail: 'service@lakeside.example',
    rateLimitRpm,
  });

async function accessToken(clientId: string, secret: string): Promise<string> {
  const res = await app.fetch('/api/oauth/token', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'models:read' }).toString(),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

const call = async (token: string) => {
  const res = await app.fetch('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, limit: res.headers.get('RateLimit-Limit') };
};

describe('per-client rate limits for OAuth access tokens', () => {
  it('defaults to 60 a minute and refuses a limit out of range, naming the field', async () => {
    expect((await newClient()).client.rateLimitRpm).toBe(60);
    for (const bad of [0, 1.5, 100_001]) {
      const err = await newClient(bad).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBe(422);
      expect((err as AppError).details).toMatchObject({ fields: { rateLimitRpm: expect.any(String) } });
    }
  });

  it("counts a token's requests against its client's limit, and a raised limit applies at once", async () => {
    const { client, secret } = await newClient(2);
    const token = await accessToken(client.id, secret!);
    expect(await call(token)).toEqual({ status: 200, limit: '2' });
    expect(await call(token)).toEqual({ status: 200, limit: '2' }); // the grant is cached now
    expect((await call(token)).status).toBe(429);
    await app.services.oauthClients.update(sys(), client.id, { rateLimitRpm: 5 });
    expect(await call(token)).toEqual({ status: 200, limit: '5' });
    const events = await app.services.audit.list(sys(), { limit: 50 });
    expect(events.find((e) => e.action === 'oauth_clients.update' && e.targetId === client.id)).toMatchObject(
      {
        details: { client: 'Limited app', rateLimitRpm: { from: 2, to: 5 } },
      },
    );
  });

  it('is shown and edited on the admin page, which refuses a bad value with the field named', async () => {
    const { client } = await newClient(30);
    const admin = documentClient(app, { admin: adminCookie });
    const page = await admin.get(`/admin/oauth-clients/${client.id}`, 'admin');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/30(<!-- -->)? requests a minute per person/);
    expect(html).toMatch(/name="rateLimitRpm"[^>]*value="30"|value="30"[^>]*name="rateLimitRpm"/);
    const fields = {
      intent: 'update',
      id: client.id,
      name: client.name,
      redirectUris: client.redirectUris.join('\n'),
      scopes: client.scopes,
      serviceUserEmail: 'service@lakeside.example',
    };
    const bad = await admin.post(`/admin/oauth-clients/${client.id}`, 'admin', {
      ...fields,
      rateLimitRpm: 'lots',
    });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('must be a whole number');
    const ok = await admin.post(`/admin/oauth-clients/${client.id}`, 'admin', {
      ...fields,
      rateLimitRpm: '1200',
    });
    expect(ok.status).toBeLessThan(400);
    expect((await app.services.oauthClients.get(sys(), client.id)).rateLimitRpm).toBe(1200);
  });
});
