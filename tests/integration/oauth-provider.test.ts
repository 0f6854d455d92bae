/**
 * The OAuth 2.1 / OIDC provider driven by openid-client 6 (strict, with non-repudiation checks): discovery,
 * authorization code + PKCE, ID token and userinfo, refresh rotation with family revocation on replay,
 * revocation, introspection, client_credentials; access tokens on /api/v1 like API keys; and the negative
 * list of the issue, each refused with its RFC error while nothing is issued. (The consent page itself is
 * clicked in a browser in tests/e2e/oauth-consent.test.ts.)
 */
import { eq, sql } from 'drizzle-orm';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeNext } from '../../api/lib/safe-next';
import { auditEvents, oauthAuthorizationCodes, oauthGrants } from '../../db/schema/index';
import { authorizeAs, type Person, registerClient, signedInPerson } from '../helpers/oauth';
import { startTestApp, type TestApp } from '../helpers/test-app';

const REDIRECT = 'http://127.0.0.1/callback';
let app: TestApp;
let teacher: Person;
let confidential: { clientId: string; secret: string | null };
let pub: { clientId: string; secret: string | null };

const insecure = { execute: [oidc.allowInsecureRequests] };

async function configFor(client: { clientId: string; secret: string | null }): Promise<oidc.Configuration> {
  const config = client.secret
    ? await oidc.discovery(new URL(app.url), client.clientId, client.secret, undefined, insecure)
    : await oidc.discovery(new URL(app.url), client.clientId, undefined, oidc.None(), insecure);
  oidc.enableNonRepudiationChecks(config);
  return config;
}

interface Flow {
  tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  verifier: string;
}

/** Authorization code + PKCE for `who` through openid-client. */
async function codeFlow(
  config: oidc.Configuration,
  who: Person,
  extra: Record<string, string> = {},
): Promise<Flow> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: 'http://127.0.0.1:53682/callback',
    scope: 'openid profile email offline_access mcp:read mcp:write',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  const callback = await authorizeAs(app, who, url);
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
  });
  return { tokens, verifier };
}

const me = (token: string) => app.fetch('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
const countGrants = async () =>
  (await app.database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(oauthGrants))[0]!.n;

/** A raw token request (for the cases openid-client refuses to send). */
function tokenRequest(fields: Record<string, string>, basic?: { id: string; secret: string }) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = `Basic ${Buffer.from(`${basic.id}:${basic.secret}`).toString('base64')}`;
  return app.fetch('/api/oauth/token', { method: 'POST', headers, body: new URLSearchParams(fields) });
}

/** The authorization endpoint's answer without following it. */
async function authorizeRaw(params: Record<string, string>, cookie = teacher.cookie) {
  const url = new URL('/api/oauth/authorize', app.url);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return fetch(url, { headers: { cookie }, redirect: 'manual' });
}

const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const pkceVerifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

beforeAll(async () => {
  app = await startTestApp();
  app.services.config.APP_URL = app.url;
  await signedInPerson(app, 'admin@district.example', ['administrator']);
  teacher = await signedInPerson(app, 'teacher@district.example');
  await signedInPerson(app, 'svc-reports@district.example', ['staff']);
  const scopes = [
    'openid',
    'profile',
    'email',
    'offline_access',
    'mcp:read',
    'mcp:write',
    'chat',
    'models:read',
  ];
  confidential = await registerClient(app, {
    name: 'Gradebook',
    redirectUris: [REDIRECT],
    scopes,
    serviceUserEmail: 'svc-reports@district.example',
  });
  pub = await registerClient(app, { name: 'Desktop agent', redirectUris: [REDIRECT], scopes, public: true });
});
afterAll(async () => app?.close());

describe('discovery', () => {
  it('serves one metadata document at both well-known paths, issuer = APP_URL exactly', async () => {
    const oidcDoc = await (await app.fetch('/.well-known/openid-configuration')).json();
    const asDoc = await (await app.fetch('/.well-known/oauth-authorization-server')).json();
    expect(asDoc).toEqual(oidcDoc);
    expect(oidcDoc).toMatchObject({
      issuer: app.url,
      authorization_endpoint: `${app.url}/api/oauth/authorize`,
      token_endpoint: `${app.url}/api/oauth/token`,
      jwks_uri: `${app.url}/api/oauth/jwks`,
      registration_endpoint: `${app.url}/api/oauth/register`,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
    const jwks = await (await app.fetch('/api/oauth/jwks')).json();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });
});

describe('authorization code + PKCE with openid-client', () => {
  it('issues RFC 9068 access tokens and OIDC ID tokens; userinfo; the token works on /api/v1', async () => {
    const config = await configFor(confidential);
    const { tokens } = await codeFlow(config, teacher);
    const header = decodeProtectedHeader(tokens.access_token);
    expect(header).toMatchObject({ typ: 'at+jwt', alg: 'RS256' });
    const at = decodeJwt(tokens.access_token);
    expect(at).toMatchObject({
      iss: app.url,
      sub: teacher.id,
      aud: app.url,
      client_id: confidential.clientId,
    });
    expect(at.scope).toBe('email mcp:read mcp:write offline_access openid profile');
    expect(typeof at.jti).toBe('string');
    expect(at.exp! - at.iat!).toBe(900);
    const id = tokens.claims()!;
    expect(id).toMatchObject({ sub: teacher.id, email: 'teacher@district.example', name: 'teacher' });
    expect(typeof id.auth_time).toBe('number');
    expect(tokens.refresh_token).toBeTruthy();

    const info = await oidc.fetchUserInfo(config, tokens.access_token, teacher.id);
    expect(info).toMatchObject({ sub: teacher.id, email: 'teacher@district.example', name: 'teacher' });

    const res = await me(tokens.access_token);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: teacher.id,
      authType: 'oauth',
      scopes: ['mcp:read', 'mcp:write'],
    });
  });

  it('works for a public client (none) and with the loopback redirect on any port', async () => {
    const config = await configFor(pub);
    const { tokens } = await codeFlow(config, teacher);
    expect(decodeJwt(tokens.access_token).client_id).toBe(pub.clientId);
  });

  it('rotates refresh tokens; replaying a rotated one revokes the whole family (audited)', async () => {
    const config = await configFor(confidential);
    const { tokens } = await codeFlow(config, teacher);
    const first = tokens.refresh_token!;
    const next = await oidc.refreshTokenGrant(config, first);
    expect(next.refresh_token).toBeTruthy();
    expect(next.refresh_token).not.toBe(first);
    expect((await me(next.access_token)).status).toBe(200);

    await expect(oidc.refreshTokenGrant(config, first)).rejects.toMatchObject({ error: 'invalid_grant' });
    // The family is dead: the newer refresh token and the access tokens too.
    await expect(oidc.refreshTokenGrant(config, next.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    expect((await me(next.access_token)).status).toBe(401);
    expect((await me(tokens.access_token)).status).toBe(401);
    const audit = await app.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, 'oauth.refresh_replay'));
    expect(audit).toHaveLength(1);
  });

  it('revokes (RFC 7009) and introspects (RFC 7662, confidential clients only)', async () => {
    const config = await configFor(confidential);
    const { tokens } = await codeFlow(config, teacher);
    const active = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(active).toMatchObject({ active: true, sub: teacher.id, client_id: confidential.clientId });
    await oidc.tokenRevocation(config, tokens.refresh_token!);
    expect((await oidc.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
    expect((await me(tokens.access_token)).status).toBe(401);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    // Unknown tokens are fine (200).
    await oidc.tokenRevocation(config, 'not-a-token');

    const publicConfig = await configFor(pub);
    await expect(oidc.tokenIntrospection(publicConfig, tokens.access_token)).rejects.toMatchObject({
      error: 'invalid_client',
    });
  });

  it('client_credentials acts as the service identity; refused to public clients', async () => {
    const config = await configFor(confidential);
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'chat models:read' });
    expect(tokens.refresh_token).toBeUndefined();
    const svc = await app.services.users.findByEmail(
      app.services.systemCtx(),
      'svc-reports@district.example',
    );
    const res = await me(tokens.access_token);
    expect(await res.json()).toMatchObject({
      id: svc!.id,
      authType: 'oauth',
      scopes: ['chat', 'models:read'],
    });
    // client_secret_basic works as well as openid-client's default client_secret_post.
    const basic = await tokenRequest(
      { grant_type: 'client_credentials', scope: 'chat' },
      { id: confidential.clientId, secret: confidential.secret! },
    );
    expect(basic.status).toBe(200);
    expect(basic.headers.get('cache-control')).toBe('no-store');

    const publicConfig = await configFor(pub);
    await expect(oidc.clientCredentialsGrant(publicConfig)).rejects.toMatchObject({
      error: 'unauthorized_client',
    });
  });
});

describe('refusals: the right RFC error and nothing issued', () => {
  const base = () => ({
    response_type: 'code',
    client_id: confidential.clientId,
    redirect_uri: REDIRECT,
    scope: 'openid mcp:read',
    state: 'st',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const errorOf = (res: Response) => new URL(res.headers.get('location')!).searchParams;

  it('a wrong redirect URI or an unknown client is shown, never redirected', async () => {
    for (const params of [
      { ...base(), redirect_uri: 'https://evil.example/callback' },
      { ...base(), redirect_uri: 'http://localhost:8080/callback' },
      { ...base(), client_id: '00000000-0000-4000-8000-000000000000' },
    ]) {
      const res = await authorizeRaw(params);
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain('cannot continue');
    }
  });

  it('missing or plain PKCE, a scope the client may not have, another audience → errors at the redirect URI', async () => {
    const before = await countGrants();
    const cases: [Record<string, string>, string][] = [
      [{ ...base(), code_challenge: '' }, 'invalid_request'],
      [{ ...base(), code_challenge_method: 'plain' }, 'invalid_request'],
      [{ ...base(), scope: 'openid knowledge:write' }, 'invalid_scope'],
      [{ ...base(), resource: 'https://evil.example/api' }, 'invalid_target'],
      [{ ...base(), response_type: 'token' }, 'unsupported_response_type'],
    ];
    for (const [params, error] of cases) {
      const res = await authorizeRaw(params);
      expect(res.status).toBe(302);
      const q = errorOf(res);
      expect(q.get('error'), JSON.stringify(params)).toBe(error);
      expect(q.get('state')).toBe('st');
      expect(q.get('iss')).toBe(app.url);
      expect(q.get('code')).toBeNull();
    }
    expect(await countGrants()).toBe(before);
  });

  it('a state too long to survive the sign-in detour is refused to the redirect URI; a long one that fits round-trips', async () => {
    const before = await countGrants();
    const long = 'x'.repeat(1100);
    for (const cookie of [teacher.cookie, '']) {
      const res = await authorizeRaw({ ...base(), state: long }, cookie);
      expect(res.status).toBe(302);
      const q = errorOf(res);
      expect(q.get('error')).toBe('invalid_request');
      expect(q.get('error_description')).toMatch(/too long to carry through sign-in/);
      expect(q.get('state')).toBe(long);
      expect(q.get('iss')).toBe(app.url);
      expect(res.headers.get('location')!.startsWith(`${REDIRECT}?`)).toBe(true);
    }
    // 600 characters fit: the anonymous person is sent to the consent page, which signing in returns to.
    const fits = await authorizeRaw({ ...base(), state: 's'.repeat(600) }, '');
    const consent = fits.headers.get('location')!;
    expect(consent.startsWith('/oauth/consent?')).toBe(true);
    expect(safeNext(consent, '/')).toBe(consent);
    expect(new URL(consent, app.url).searchParams.get('state')).toBe('s'.repeat(600));
    expect(await countGrants()).toBe(before);
  });

  async function freshCode(): Promise<string> {
    const url = new URL('/api/oauth/authorize', app.url);
    for (const [k, v] of Object.entries(base())) url.searchParams.set(k, v);
    const callback = await authorizeAs(app, teacher, url);
    return callback.searchParams.get('code')!;
  }
  const exchange = (code: string, verifier = pkceVerifier, redirect = REDIRECT) =>
    tokenRequest({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirect,
      code_verifier: verifier,
      client_id: confidential.clientId,
      client_secret: confidential.secret!,
    });

  it('wrong verifier, wrong redirect_uri at the token endpoint, expired code → invalid_grant', async () => {
    const before = await countGrants();
    const code = await freshCode();
    const wrong = await exchange(code, 'x'.repeat(43));
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await (await exchange(code, pkceVerifier, 'http://127.0.0.1/other')).json()).error).toBe(
      'invalid_grant',
    );
    const expired = await freshCode();
    await app.database.db
      .update(oauthAuthorizationCodes)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(sql`true`);
    expect((await (await exchange(expired)).json()).error).toBe('invalid_grant');
    expect(await countGrants()).toBe(before);
  });

  it('a reused code is refused and revokes what its first use issued', async () => {
    const code = await freshCode();
    const first = await exchange(code);
    expect(first.status).toBe(200);
    const { access_token } = await first.json();
    const again = await exchange(code);
    expect(again.status).toBe(400);
    expect((await again.json()).error).toBe('invalid_grant');
    expect((await me(access_token)).status).toBe(401);
  });

  it('unknown client, wrong secret → invalid_client (401)', async () => {
    const unknown = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: '00000000-0000-4000-8000-000000000000',
      client_secret: 'nope',
    });
    expect(unknown.status).toBe(401);
    expect((await unknown.json()).error).toBe('invalid_client');
    const wrong = await tokenRequest(
      { grant_type: 'client_credentials' },
      { id: confidential.clientId, secret: 'wrong-secret' },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect((await wrong.json()).error).toBe('invalid_client');
    const scope = await tokenRequest(
      { grant_type: 'client_credentials', scope: 'knowledge:write' },
      { id: confidential.clientId, secret: confidential.secret! },
    );
    expect((await scope.json()).error).toBe('invalid_scope');
  });

  it('expired, tampered and other-audience tokens are refused on /api/v1', async () => {
    const config = await configFor(confidential);
    const { tokens } = await codeFlow(config, teacher);
    const [h, p, s] = tokens.access_token.split('.');
    const tampered = `${h}.${p}.${s!.slice(0, -4)}${s!.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    const res = await me(tampered);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/invalid_token/);

    const claims = decodeJwt(tokens.access_token);
    const { kid, key } = await app.services.oauthKeys.signer();
    const expired = await new SignJWT({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt' })
      .sign(key);
    expect((await me(expired)).status).toBe(401);

    const mcpOnly = await codeFlow(config, teacher, { resource: `${app.url}/api/mcp` });
    expect(decodeJwt(mcpOnly.tokens.access_token).aud).toBe(`${app.url}/api/mcp`);
    const refused = await me(mcpOnly.tokens.access_token);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.message).toMatch(/another audience/);
  });

  it('a disabled user’s tokens stop working and cannot be refreshed', async () => {
    const person = await signedInPerson(app, 'leaving@district.example');
    const config = await configFor(confidential);
    const { tokens } = await codeFlow(config, person);
    expect((await me(tokens.access_token)).status).toBe(200);
    await app.services.users.update(app.services.systemCtx(), person.id, { status: 'disabled' });
    expect((await me(tokens.access_token)).status).toBe(401);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });
});

describe('dynamic client registration and keys', () => {
  const register = (body: unknown) =>
    app.fetch('/api/oauth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('registers public clients limited to mcp:* and OIDC scopes, with registration_client_uri', async () => {
    const res = await register({ client_name: 'Claude', redirect_uris: ['http://127.0.0.1:33418/callback'] });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({
      client_name: 'Claude',
      token_endpoint_auth_method: 'none',
      registration_client_uri: `${app.url}/api/oauth/register/${body.client_id}`,
    });
    expect(body.scope.split(' ')).toEqual(expect.arrayContaining(['mcp:read', 'mcp:write', 'openid']));
    const read = await app.fetch(`/api/oauth/register/${body.client_id}`, {
      headers: { authorization: `Bearer ${body.registration_access_token}` },
    });
    expect((await read.json()).client_id).toBe(body.client_id);

    const secretClient = await register({
      redirect_uris: ['https://x.example/cb'],
      token_endpoint_auth_method: 'client_secret_basic',
    });
    expect((await secretClient.json()).error).toBe('invalid_client_metadata');
    const wide = await register({
      redirect_uris: ['https://x.example/cb'],
      scope: 'mcp:read knowledge:write',
    });
    expect((await wide.json()).error).toBe('invalid_client_metadata');
    const badUri = await register({ redirect_uris: ['http://evil.example/cb'] });
    expect((await badUri.json()).error).toBe('invalid_redirect_uri');
  });

  it('can be turned off by an administrator', async () => {
    await app.services.oauthClients.dynamic.setRegistrationMode(app.services.systemCtx(), 'off');
    const res = await register({ redirect_uris: ['https://x.example/cb'] });
    expect(res.status).toBe(403);
    const doc = await (await app.fetch('/.well-known/oauth-authorization-server')).json();
    expect(doc.registration_endpoint).toBeUndefined();
    await app.services.oauthClients.dynamic.setRegistrationMode(app.services.systemCtx(), 'open');
  });

  it('rotates signing keys with overlap: old tokens verify, new ones use the new key', async () => {
    const config = await configFor(confidential);
    const before = await oidc.clientCredentialsGrant(config, { scope: 'chat' });
    const { kid } = await app.services.oauthKeys.rotate();
    const jwks = await (await app.fetch('/api/oauth/jwks')).json();
    expect(jwks.keys).toHaveLength(2);
    expect((await me(before.access_token)).status).toBe(200);
    const after = await oidc.clientCredentialsGrant(config, { scope: 'chat' });
    expect(decodeProtectedHeader(after.access_token).kid).toBe(kid);
    expect((await me(after.access_token)).status).toBe(200);
  });
});
