/**
 * The OAuth provider suites' shared set-up (oauth-provider.test.ts, oauth-refusals.test.ts): a test app
 * whose APP_URL is its own address, an administrator, a teacher signed in, a confidential client acting
 * as a service user and a public one, and the requests both suites make. `setUpOAuthProvider()` starts it
 * before a file's tests and closes it after; the bindings below are live (ES modules), set by then.
 */
import { sql } from 'drizzle-orm';
import * as oidc from 'openid-client';
import { afterAll, beforeAll } from 'vitest';
import { oauthGrants } from '../../db/schema/index';
import { authorizeAs, type Person, registerClient, signedInPerson } from './oauth';
import { startTestApp, type TestApp } from './test-app';

export const REDIRECT = 'http://127.0.0.1/callback';
export let app: TestApp;
export let teacher: Person;
export let confidential: { clientId: string; secret: string | null };
export let pub: { clientId: string; secret: string | null };

const insecure = { execute: [oidc.allowInsecureRequests] };

export async function configFor(client: {
  clientId: string;
  secret: string | null;
}): Promise<oidc.Configuration> {
  const config = client.secret
    ? await oidc.discovery(new URL(app.url), client.clientId, client.secret, undefined, insecure)
    : await oidc.discovery(new URL(app.url), client.clientId, undefined, oidc.None(), insecure);
  oidc.enableNonRepudiationChecks(config);
  return config;
}

export interface Flow {
  tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  verifier: string;
}

/** Authorization code + PKCE for `who` through openid-client. */
export async function codeFlow(
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

export const me = (token: string) =>
  app.fetch('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
export const countGrants = async () =>
  (await app.database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(oauthGrants))[0]!.n;

/** A raw token request (for the cases openid-client refuses to send). */
export function tokenRequest(fields: Record<string, string>, basic?: { id: string; secret: string }) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = `Basic ${Buffer.from(`${basic.id}:${basic.secret}`).toString('base64')}`;
  return app.fetch('/api/oauth/token', { method: 'POST', headers, body: new URLSearchParams(fields) });
}

/** The authorization endpoint's answer without following it. */
export async function authorizeRaw(params: Record<string, string>, cookie = teacher.cookie) {
  const url = new URL('/api/oauth/authorize', app.url);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return fetch(url, { headers: { cookie }, redirect: 'manual' });
}

export const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
export const pkceVerifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

/** Registers the set-up before this file's tests and the close after them. */
export function setUpOAuthProvider(): void {
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
    pub = await registerClient(app, {
      name: 'Desktop agent',
      redirectUris: [REDIRECT],
      scopes,
      public: true,
    });
  });
  afterAll(async () => app?.close());
}
