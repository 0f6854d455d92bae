/**
 * The OAuth provider's negative list: each request it must refuse gets the right RFC error (at the redirect
 * URI only when that URI is the client's), and nothing is issued. The flows that succeed:
 * oauth-provider.test.ts.
 */
import { sql } from 'drizzle-orm';
import { decodeJwt, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { safeNext } from '../../api/lib/safe-next';
import { oauthAuthorizationCodes } from '../../db/schema/index';
import { authorizeAs, signedInPerson } from '../helpers/oauth';
import {
  app,
  authorizeRaw,
  challenge,
  codeFlow,
  confidential,
  configFor,
  countGrants,
  me,
  pkceVerifier,
  REDIRECT,
  setUpOAuthProvider,
  teacher,
  tokenRequest,
} from '../helpers/oauth-provider';

setUpOAuthProvider();

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
