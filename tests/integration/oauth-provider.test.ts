/**
 * The OAuth 2.1 / OIDC provider driven by openid-client 6 (strict, with non-repudiation checks): discovery,
 * authorization code + PKCE, ID token and userinfo, refresh rotation with family revocation on replay,
 * revocation, introspection, client_credentials; access tokens on /api/v1 like API keys; dynamic client
 * registration and signing-key rotation. What it refuses, and how: oauth-refusals.test.ts. (The consent page
 * itself is clicked in a browser in tests/e2e/oauth-consent.test.ts.)
 */
import { eq } from 'drizzle-orm';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { auditEvents } from '../../db/schema/index';
import {
  app,
  codeFlow,
  confidential,
  configFor,
  me,
  pub,
  setUpOAuthProvider,
  teacher,
  tokenRequest,
} from '../helpers/oauth-provider';

setUpOAuthProvider();

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
