/**
 * Verified OAuth access tokens are remembered (issue 16), but never past what verification would refuse:
 * a token cached on one resource is still checked against another's audience, and a cached token stops
 * at its own expiry.
 */
import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usersForEachRole } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let client: { id: string; secret: string };
beforeAll(async () => {
  app = await startTestApp();
  app.services.config.APP_URL = app.url;
  await usersForEachRole(app);
  await app.services.users.create(app.services.systemCtx(), {
    email: 'service@lakeside.example',
    roles: ['staff'],
  });
  const created = await app.services.oauthClients.create(app.services.systemCtx(), {
    name: 'Cached app',
    redirectUris: ['https://app.example/callback'],
    scopes: ['models:read', 'mcp:read'],
    serviceUserEmail: 'service@lakeside.example',
  });
  client = { id: created.client.id, secret: created.secret! };
});
afterAll(() => app?.close());

async function accessToken(resource?: string): Promise<string> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', scope: 'models:read mcp:read' });
  if (resource) body.set('resource', resource);
  const res = await app.fetch('/api/oauth/token', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
    },
    body: body.toString(),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

const me = async (token: string) =>
  (await app.fetch('/api/v1/me', { headers: { authorization: `Bearer ${token}` } })).status;

describe('remembered access tokens', () => {
  it('a token for the REST API, cached there, is still refused on the MCP endpoint', async () => {
    const token = await accessToken(`${app.url}/api/v1`);
    expect(await me(token)).toBe(200);
    expect(await me(token)).toBe(200); // verified once, remembered
    const mcp = await app.fetch('/api/mcp', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(mcp.status).toBe(401);
    expect(mcp.headers.get('www-authenticate')).toMatch(/another audience/);
  });

  it('a cached token stops at its own expiry', async () => {
    const claims = decodeJwt(await accessToken());
    const { kid, key } = await app.services.oauthKeys.signer();
    const shortLived = await new SignJWT({ ...claims, exp: Math.floor(Date.now() / 1000) + 2 })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt' })
      .sign(key);
    expect(await me(shortLived)).toBe(200);
    expect(await me(shortLived)).toBe(200); // cached now
    await new Promise((r) => setTimeout(r, 2_100));
    expect(await me(shortLived)).toBe(401);
  });
});
