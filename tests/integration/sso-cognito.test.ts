/**
 * Amazon Cognito (the original deployment's path, Google federated through it) end to end through arctic's
 * own AmazonCognito client. arctic builds `https://<domain>/oauth2/…`, so the fake Cognito speaks https
 * with a throw-away self-signed certificate; this file's worker process (vitest isolates files) skips
 * certificate verification for it. Signatures, issuer, audience and nonce are still checked by jose.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { roles, userRoles, users } from '../../db/schema/index';
import { CookieJar } from '../helpers/cookie-jar';
import { type FakeIdp, startFakeIdp } from '../helpers/fake-idp';
import { selfSignedCertificate } from '../helpers/self-signed';
import { startTestApp, type TestApp } from '../helpers/test-app';

const tls = selfSignedCertificate();
let app: TestApp;
let cognito: FakeIdp;

beforeAll(async () => {
  if (!tls) return;
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  [app, cognito] = await Promise.all([
    startTestApp(),
    startFakeIdp({ tls, cognito: { poolId: 'eu-west-1_TestPool' }, clientId: 'cognito-client' }),
  ]);
  app.services.config.APP_URL = app.url;
  // The first account becomes administrator by hand; the SSO user must get the role from its group.
  await app.services.users.create(app.services.systemCtx(), { email: 'first@school.example', name: 'First' });
  await app.services.sso.create(app.services.systemCtx(), {
    slug: 'cognito',
    type: 'cognito',
    displayName: 'School account (Google)',
    clientId: cognito.clientId,
    clientSecret: cognito.clientSecret,
    domain: cognito.host,
    issuer: cognito.issuer,
    // groupClaim left unset: Cognito's default claim is cognito:groups
    groupRoles: { 'district-admins': 'administrator' },
  });
});
afterAll(async () => {
  delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  await app?.close();
  await cognito?.close();
});
beforeEach(() => cognito?.reset());

async function signIn(): Promise<{ location: string; jar: CookieJar }> {
  const jar = new CookieJar();
  const begin = await app.fetch('/auth/sso/cognito?next=/admin', { redirect: 'manual' });
  jar.store(begin);
  const location = begin.headers.get('location')!;
  expect(location.startsWith(`https://${cognito.host}/oauth2/authorize?`)).toBe(true);
  const authorize = await fetch(location, { redirect: 'manual' });
  const callback = authorize.headers.get('location')!;
  const done = await fetch(callback, { redirect: 'manual', headers: { cookie: jar.header(callback) } });
  jar.store(done);
  return { location: done.headers.get('location')!, jar };
}

describe.skipIf(!tls)('SSO through Amazon Cognito (Google federated)', () => {
  it('signs in a federated Google user with cognito:groups mapped to roles', async () => {
    cognito.nextUser = {
      sub: '5f1c-cognito-sub',
      email: 'it.lead@school.example',
      email_verified: 'true', // Cognito sends federated attributes as strings
      name: 'IT Lead',
      'cognito:username': 'Google_1234567890',
      'cognito:groups': ['district-admins', 'eu-west-1_TestPool_Google'],
      identities: [{ providerName: 'Google', providerType: 'Google', userId: '1234567890' }],
    };
    const { location, jar } = await signIn();
    expect(location).toBe('/admin');
    expect(jar.get('aistudio_session')).toBeDefined();
    expect(cognito.tokenRequests[0]).toMatchObject({ auth: 'basic' });

    const [user] = await app.database.db
      .select()
      .from(users)
      .where(eq(users.email, 'it.lead@school.example'));
    const granted = await app.database.db
      .select({ name: roles.name, source: userRoles.source })
      .from(userRoles)
      .innerJoin(roles, eq(roles.id, userRoles.roleId))
      .where(eq(userRoles.userId, user!.id));
    expect(granted).toContainEqual({ name: 'administrator', source: 'sso' });
  });

  it('refuses a token not signed by the pool key', async () => {
    cognito.nextUser = { sub: 'x', email: 'x@school.example', email_verified: 'true' };
    cognito.misbehave({ wrongKey: true });
    const { location, jar } = await signIn();
    expect(location).toBe('/auth/signin?error=sso_invalid_token');
    expect(jar.get('aistudio_session')).toBeUndefined();
  });

  it('passes the admin test button (discovery at the pool issuer, JWKS at jwks.json)', async () => {
    const [provider] = await app.services.sso.list(app.services.systemCtx());
    const report = await app.services.sso.test(app.services.systemCtx(), provider!.id);
    expect(report.steps).toEqual([
      expect.objectContaining({ step: 'discovery', ok: true }),
      expect.objectContaining({ step: 'jwks', ok: true }),
    ]);
  });
});
