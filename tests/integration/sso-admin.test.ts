/** Admin REST for SSO providers: capability checks, validation, secret encrypted at rest and masked, audit, test button. */
import SwaggerParser from '@apidevtools/swagger-parser';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decrypt, deriveKey, isEncrypted } from '../../api/lib/crypto';
import { auditEvents, ssoProviders } from '../../db/schema/index';
import { type FakeIdp, startFakeIdp } from '../helpers/fake-idp';
import { startTestApp, TEST_SECRET, type TestApp } from '../helpers/test-app';

let app: TestApp;
let idp: FakeIdp;
let admin: string;
let student: string;

async function sessionCookie(email: string, role: string): Promise<string> {
  const ctx = app.services.systemCtx();
  const user = await app.services.users.create(ctx, {
    email,
    name: role,
    password: 'a-long-enough-password-123',
    roles: [role],
  });
  return `aistudio_session=${(await app.services.auth.createSession(ctx, user.id)).token}`;
}

beforeAll(async () => {
  [app, idp] = await Promise.all([startTestApp(), startFakeIdp()]);
  admin = await sessionCookie('admin@school.example', 'administrator');
  student = await sessionCookie('student@school.example', 'student');
});
afterAll(async () => {
  await app?.close();
  await idp?.close();
});

const call = (path: string, init: { method?: string; body?: unknown; cookie?: string } = {}) =>
  app.fetch(path, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

const SECRET = 'super-secret-client-secret-value-42';

const oidcProvider = () => ({
  slug: 'district',
  type: 'oidc',
  displayName: 'District login',
  clientId: idp.clientId,
  clientSecret: SECRET,
  issuer: `${idp.issuer}/`,
  allowedDomains: ['School.Example'],
});

describe('admin REST for SSO providers', () => {
  let id: string;

  it('is documented in a valid OpenAPI document', async () => {
    const doc = await (await app.fetch('/api/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/admin/sso-providers',
        '/api/admin/sso-providers/{id}',
        '/api/admin/sso-providers/{id}/test',
      ]),
    );
    await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeTruthy();
  });

  it('refuses anonymous callers (401) and students (403)', async () => {
    expect((await call('/api/admin/sso-providers')).status).toBe(401);
    expect((await call('/api/admin/sso-providers', { cookie: student })).status).toBe(403);
    // The capability check runs before body validation: no 422 revealing the schema.
    expect((await call('/api/admin/sso-providers', { method: 'POST', body: {} })).status).toBe(401);
    expect(
      (await call('/api/admin/sso-providers', { method: 'POST', body: {}, cookie: student })).status,
    ).toBe(403);
    const res = await call('/api/admin/sso-providers', {
      method: 'POST',
      body: oidcProvider(),
      cookie: student,
    });
    expect(res.status).toBe(403);
  });

  it('creates a provider: secret encrypted at rest, masked in the answer, audited', async () => {
    const res = await call('/api/admin/sso-providers', {
      method: 'POST',
      body: oidcProvider(),
      cookie: admin,
    });
    expect(res.status).toBe(201);
    const body = await res.json();
    id = body.id;
    expect(body).toMatchObject({
      slug: 'district',
      type: 'oidc',
      clientSecret: '••••••••',
      issuer: idp.issuer, // trailing slash trimmed
      allowedDomains: ['school.example'],
      enabled: true,
      callbackUrl: `${app.services.config.APP_URL}/auth/callback/district`,
    });
    expect(JSON.stringify(body)).not.toContain(SECRET);

    const [row] = await app.database.db.select().from(ssoProviders).where(eq(ssoProviders.id, id));
    expect(row!.clientSecret).not.toContain(SECRET);
    expect(isEncrypted(row!.clientSecret!)).toBe(true);
    expect(decrypt(row!.clientSecret!, deriveKey(TEST_SECRET, 'sso'))).toBe(SECRET);

    const events = await app.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'sso.provider.create'), eq(auditEvents.targetId, id)));
    expect(events).toHaveLength(1);
    expect(events[0]!.details).toMatchObject({ slug: 'district', clientSecret: 'set' });
    expect(JSON.stringify(events[0]!.details)).not.toContain(SECRET);
  });

  it('lists providers with the secret masked', async () => {
    const res = await call('/api/admin/sso-providers', { cookie: admin });
    expect(res.status).toBe(200);
    const list = await res.json();
    expect(list.map((p: { slug: string }) => p.slug)).toContain('district');
    expect(JSON.stringify(list)).not.toContain(SECRET);
  });

  it('validates input by field (422) and refuses a duplicate slug (409)', async () => {
    const bad = await call('/api/admin/sso-providers', {
      method: 'POST',
      cookie: admin,
      body: { ...oidcProvider(), slug: 'Bad Slug!', issuer: 'not a url', type: 'saml' },
    });
    expect(bad.status).toBe(422);
    const fields = (await bad.json()).error.details.fields;
    expect(Object.keys(fields)).toEqual(expect.arrayContaining(['slug', 'issuer', 'type']));

    const missing = await call('/api/admin/sso-providers', {
      method: 'POST',
      cookie: admin,
      body: { slug: 'cog', type: 'cognito', displayName: 'Cognito', clientId: 'abc' },
    });
    expect(missing.status).toBe(422);
    expect(Object.keys((await missing.json()).error.details.fields).sort()).toEqual(['domain', 'issuer']);

    const unknownRole = await call('/api/admin/sso-providers', {
      method: 'POST',
      cookie: admin,
      body: {
        ...oidcProvider(),
        slug: 'mapped',
        groupClaim: 'groups',
        groupRoles: { staff: 'no-such-role' },
      },
    });
    expect(unknownRole.status).toBe(422);
    expect((await unknownRole.json()).error.details.fields).toHaveProperty('groupRoles');

    const dup = await call('/api/admin/sso-providers', {
      method: 'POST',
      body: oidcProvider(),
      cookie: admin,
    });
    expect(dup.status).toBe(409);
  });

  it('patches without touching the secret unless asked, and audits without the secret', async () => {
    const renamed = await call(`/api/admin/sso-providers/${id}`, {
      method: 'PATCH',
      cookie: admin,
      body: { displayName: 'Sign in with the district' },
    });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({
      displayName: 'Sign in with the district',
      clientSecret: '••••••••',
    });
    const key = deriveKey(TEST_SECRET, 'sso');
    const secretOf = async () =>
      decrypt(
        (await app.database.db.select().from(ssoProviders).where(eq(ssoProviders.id, id)))[0]!.clientSecret!,
        key,
      );
    expect(await secretOf()).toBe(SECRET);

    const rotated = await call(`/api/admin/sso-providers/${id}`, {
      method: 'PATCH',
      cookie: admin,
      body: { clientSecret: idp.clientSecret },
    });
    expect(rotated.status).toBe(200);
    expect(await secretOf()).toBe(idp.clientSecret);

    const events = await app.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'sso.provider.update'), eq(auditEvents.targetId, id)));
    expect(events).toHaveLength(2);
    expect(JSON.stringify(events.map((e) => e.details))).not.toContain(idp.clientSecret);
    // Each lists what changed, before → after (issue 15.11); the secret only as set or not.
    expect(events.map((e) => e.details)).toEqual(
      expect.arrayContaining([
        {
          slug: expect.any(String),
          displayName: { from: expect.any(String), to: 'Sign in with the district' },
        },
        { slug: expect.any(String), clientSecret: { from: 'set', to: 'new secret' } },
      ]),
    );

    const invalid = await call(`/api/admin/sso-providers/${id}`, {
      method: 'PATCH',
      cookie: admin,
      body: { issuer: null },
    });
    expect(invalid.status).toBe(422);
    expect((await invalid.json()).error.details.fields).toHaveProperty('issuer');
  });

  it('tests a provider: discovery and JWKS reachable', async () => {
    const res = await call(`/api/admin/sso-providers/${id}/test`, { method: 'POST', cookie: admin });
    expect(res.status).toBe(200);
    const report = await res.json();
    expect(report).toMatchObject({ ok: true, issuer: idp.issuer });
    expect(report.steps.map((s: { step: string; ok: boolean }) => [s.step, s.ok])).toEqual([
      ['discovery', true],
      ['jwks', true],
    ]);
  });

  it('reports an unreachable or mismatched issuer readably', async () => {
    await call(`/api/admin/sso-providers/${id}`, {
      method: 'PATCH',
      cookie: admin,
      body: { issuer: 'http://127.0.0.1:9/nowhere' },
    });
    const down = await (
      await call(`/api/admin/sso-providers/${id}/test`, { method: 'POST', cookie: admin })
    ).json();
    expect(down.ok).toBe(false);
    expect(down.steps[0]).toMatchObject({ step: 'discovery', ok: false });
    expect(down.steps[0].message).toMatch(/Could not reach the discovery document/);

    // localhost and 127.0.0.1 are different issuers (the document names 127.0.0.1).
    await call(`/api/admin/sso-providers/${id}`, {
      method: 'PATCH',
      cookie: admin,
      body: { issuer: idp.issuer.replace('127.0.0.1', 'localhost') },
    });
    const mismatch = await (
      await call(`/api/admin/sso-providers/${id}/test`, { method: 'POST', cookie: admin })
    ).json();
    expect(mismatch.ok).toBe(false);
    expect(mismatch.steps[0].message).toMatch(/must match exactly/);

    const insecure = await call(`/api/admin/sso-providers/${id}`, {
      method: 'PATCH',
      cookie: admin,
      body: { issuer: 'http://idp.example.org' },
    });
    expect(insecure.status).toBe(422);
    expect((await insecure.json()).error.details.fields.issuer).toMatch(/https/);
  });

  it('shows only enabled providers to the sign-in page', async () => {
    const ctx = app.services.systemCtx();
    expect((await app.services.sso.listEnabled(ctx)).map((b) => b.slug)).toEqual(['district']);
    await call(`/api/admin/sso-providers/${id}`, {
      method: 'PATCH',
      cookie: admin,
      body: { enabled: false },
    });
    expect(await app.services.sso.listEnabled(ctx)).toEqual([]);
  });

  it('deletes a provider (204, then 404), audited', async () => {
    const res = await call(`/api/admin/sso-providers/${id}`, { method: 'DELETE', cookie: admin });
    expect(res.status).toBe(204);
    const again = await call(`/api/admin/sso-providers/${id}`, { method: 'DELETE', cookie: admin });
    expect(again.status).toBe(404);
    expect(
      (await call('/api/admin/sso-providers/not-a-uuid/test', { method: 'POST', cookie: admin })).status,
    ).toBe(404);
    const events = await app.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'sso.provider.delete'), eq(auditEvents.targetId, id)));
    expect(events).toHaveLength(1);
  });
});
