/** The OIDC building blocks in isolation: per-type authorization URLs, e-mail trust rules, issuers, flow sealing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeIdp, startFakeIdp } from '../../../../tests/helpers/fake-idp';
import { deriveKey } from '../../../lib/crypto';
import { domainAllowed, groupsFromClaims, rolesForGroups, verifiedEmail } from './claims';
import type { DiscoveryDocument } from './discovery';
import { loadDiscovery } from './discovery';
import { FLOW_TTL_MS, sealFlow, unsealFlow } from './flow-state';
import { verifyIdToken } from './id-token';
import { createOAuthClient } from './oauth-client';
import { discoveryBase, expectedIssuer, issuerAccepted, type SsoProviderConfig } from './provider-config';

const base: SsoProviderConfig = {
  id: '00000000-0000-0000-0000-000000000001',
  slug: 'p',
  type: 'oidc',
  displayName: 'P',
  clientId: 'client-1',
  clientSecret: 'secret-1',
  issuer: 'https://idp.example.org',
  domain: null,
  tenant: null,
  allowedDomains: [],
  groupClaim: null,
  groupRoles: {},
  enabled: true,
};
const discovery: DiscoveryDocument = {
  issuer: 'https://idp.example.org',
  authorization_endpoint: 'https://idp.example.org/authorize',
  token_endpoint: 'https://idp.example.org/token',
  jwks_uri: 'https://idp.example.org/jwks',
};
const request = { state: 'st', codeVerifier: 'v'.repeat(43), nonce: 'n0nce' };
const redirect = 'https://ai.example.org/auth/callback/p';

describe('authorization URL per provider type', () => {
  it.each([
    [
      'cognito',
      { domain: 'school.auth.eu-west-1.amazoncognito.com' },
      'https://school.auth.eu-west-1.amazoncognito.com/oauth2/authorize',
    ],
    ['google', {}, 'https://accounts.google.com/o/oauth2/v2/auth'],
    [
      'entra',
      { tenant: 'contoso.onmicrosoft.com' },
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize',
    ],
    ['oidc', {}, 'https://idp.example.org/authorize'],
  ] as const)('%s: code flow with PKCE S256, state, nonce and openid scope', (type, extra, endpoint) => {
    const url = createOAuthClient({ ...base, type, ...extra }, discovery, redirect).authorizationUrl(request);
    expect(`${url.origin}${url.pathname}`).toBe(endpoint);
    const p = url.searchParams;
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe('client-1');
    expect(p.get('redirect_uri')).toBe(redirect);
    expect(p.get('state')).toBe('st');
    expect(p.get('nonce')).toBe('n0nce');
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).not.toBe(request.codeVerifier);
    expect(p.get('scope')).toBe('openid email profile');
  });

  it('derives where each type publishes its discovery document', () => {
    expect(discoveryBase({ type: 'google', issuer: null, tenant: null })).toBe('https://accounts.google.com');
    expect(discoveryBase({ type: 'entra', issuer: null, tenant: 'abc' })).toBe(
      'https://login.microsoftonline.com/abc/v2.0',
    );
    expect(
      discoveryBase({
        type: 'cognito',
        issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X',
        tenant: null,
      }),
    ).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X');
  });
});

describe('issuers', () => {
  it('requires an exact issuer except for Entra, whose tenant domain resolves to a tenant id', () => {
    expect(issuerAccepted('oidc', 'https://a.example', 'https://a.example/')).toBe(false);
    expect(issuerAccepted('cognito', 'https://a.example', 'https://a.example')).toBe(true);
    const entra = 'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0';
    expect(
      issuerAccepted(
        'entra',
        entra,
        'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0',
      ),
    ).toBe(true);
    expect(issuerAccepted('entra', entra, 'https://evil.example/x/v2.0')).toBe(false);
  });

  it("fills Entra's {tenantid} template from a GUID tid claim only", () => {
    const template = 'https://login.microsoftonline.com/{tenantid}/v2.0';
    const tid = '9188040d-6c67-4c5b-b112-36a304b66dad';
    expect(expectedIssuer(template, { tid })).toBe(`https://login.microsoftonline.com/${tid}/v2.0`);
    expect(expectedIssuer(template, { tid: 'evil.example/x' })).toBeNull();
    expect(expectedIssuer(template, {})).toBeNull();
    expect(expectedIssuer('https://a.example', { tid })).toBe('https://a.example');
  });

  it('refuses plain http issuers outside loopback before fetching anything', async () => {
    await expect(loadDiscovery('http://idp.example.org')).rejects.toThrow(/must use https/);
  });
});

describe('verified e-mail rules', () => {
  it('requires email_verified for Google, Cognito and generic OIDC (Cognito may send the string "true")', () => {
    for (const type of ['google', 'cognito', 'oidc'] as const) {
      const p = { ...base, type };
      expect(verifiedEmail(p, { email: 'A@School.org', email_verified: true })).toBe('a@school.org');
      expect(verifiedEmail(p, { email: 'a@school.org', email_verified: 'true' })).toBe('a@school.org');
      expect(verifiedEmail(p, { email: 'a@school.org', email_verified: false })).toBeNull();
      expect(verifiedEmail(p, { email: 'a@school.org' })).toBeNull();
      expect(verifiedEmail(p, { upn: 'a@school.org', email_verified: true })).toBeNull();
    }
  });

  it('Entra: xms_edov, or a member UPN in an allowed domain of a single tenant — never a bare email claim', () => {
    const entra = {
      ...base,
      type: 'entra' as const,
      tenant: 'contoso.onmicrosoft.com',
      allowedDomains: ['school.org'],
    };
    expect(verifiedEmail(entra, { email: 'a@school.org' })).toBeNull();
    expect(verifiedEmail(entra, { email: 'a@other.org', xms_edov: true })).toBe('a@other.org');
    expect(verifiedEmail(entra, { upn: 'T.Teacher@school.org' })).toBe('t.teacher@school.org');
    expect(verifiedEmail(entra, { preferred_username: 'x@other.org' })).toBeNull();
    expect(verifiedEmail(entra, { upn: 'guest_gmail.com#EXT#@school.org' })).toBeNull();
    expect(verifiedEmail({ ...entra, tenant: 'organizations' }, { upn: 'a@school.org' })).toBeNull();
    expect(verifiedEmail({ ...entra, allowedDomains: [] }, { upn: 'a@school.org' })).toBeNull();
  });

  it('matches allowed domains exactly (no suffix tricks)', () => {
    expect(domainAllowed('a@school.org', ['school.org'])).toBe(true);
    expect(domainAllowed('a@evilschool.org', ['school.org'])).toBe(false);
    expect(domainAllowed('a@school.org.evil.example', ['school.org'])).toBe(false);
    expect(domainAllowed('a@anything.example', [])).toBe(true);
  });

  it('reads groups from arrays or strings and maps them to roles', () => {
    expect(groupsFromClaims('cognito:groups', { 'cognito:groups': ['a', 'b', 3] })).toEqual(['a', 'b']);
    expect(groupsFromClaims('groups', { groups: 'a,b c' })).toEqual(['a', 'b', 'c']);
    expect(groupsFromClaims(null, { groups: ['a'] })).toEqual([]);
    expect(rolesForGroups(['a', 'b', 'c'], { a: 'staff', b: 'staff', z: 'administrator' })).toEqual([
      'staff',
    ]);
  });
});

describe('flow state', () => {
  const key = deriveKey('x'.repeat(32), 'sso-flow');
  const flow = {
    provider: 'p',
    state: 's',
    codeVerifier: 'v',
    nonce: 'n',
    next: '/',
    expiresAt: Date.now() + FLOW_TTL_MS,
  };

  it('round-trips, and refuses tampered, foreign-key and expired cookies', () => {
    const sealed = sealFlow(flow, key);
    expect(unsealFlow(sealed, key)).toEqual(flow);
    const parts = sealed.split(':');
    parts[3] = `${parts[3]!.slice(0, -2)}AA`;
    expect(unsealFlow(parts.join(':'), key)).toBeNull();
    expect(unsealFlow(sealed, deriveKey('y'.repeat(32), 'sso-flow'))).toBeNull();
    expect(unsealFlow(sealed, key, flow.expiresAt + 1)).toBeNull();
    expect(unsealFlow(undefined, key)).toBeNull();
  });
});

describe('ID token verification (jose against the JWKS)', () => {
  let idp: FakeIdp;
  beforeAll(async () => {
    idp = await startFakeIdp();
  });
  afterAll(() => idp?.close());

  const now = () => Math.floor(Date.now() / 1000);

  it('accepts an Entra multi-tenant token whose iss matches the template filled with its tid', async () => {
    const tid = '9188040d-6c67-4c5b-b112-36a304b66dad';
    const token = await idp.sign({
      iss: `https://login.microsoftonline.com/${tid}/v2.0`,
      tid,
      aud: 'client-1',
      sub: 's',
      nonce: 'n',
      iat: now(),
      exp: now() + 60,
    });
    const claims = await verifyIdToken({
      idToken: token,
      jwksUri: `${idp.issuer}/jwks`,
      issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0',
      clientId: 'client-1',
      nonce: 'n',
    });
    expect(claims.tid).toBe(tid);
  });

  it('refuses several audiences without our client as azp, and a missing sub', async () => {
    const common = { iss: 'https://i.example', nonce: 'n', iat: now(), exp: now() + 60 };
    const input = {
      jwksUri: `${idp.issuer}/jwks`,
      issuer: 'https://i.example',
      clientId: 'client-1',
      nonce: 'n',
    };
    const multi = await idp.sign({ ...common, sub: 's', aud: ['client-1', 'other'], azp: 'other' });
    await expect(verifyIdToken({ ...input, idToken: multi })).rejects.toMatchObject({
      reason: 'id_token_audience',
    });
    const noSub = await idp.sign({ ...common, aud: 'client-1' });
    await expect(verifyIdToken({ ...input, idToken: noSub })).rejects.toMatchObject({
      reason: 'id_token_sub',
    });
    await expect(verifyIdToken({ ...input, idToken: 'not.a.jwt' })).rejects.toMatchObject({
      reason: 'id_token_malformed',
    });
  });
});
