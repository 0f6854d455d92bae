/**
 * SSO end to end over HTTP: the real app ↔ a fake OIDC identity provider, driven like a browser (manual
 * redirects, cookies carried by a jar). Every tampered answer must be refused without a session.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accounts, roles, sessions, userRoles, users } from '../../db/schema/index';
import { CookieJar } from '../helpers/cookie-jar';
import { type FakeIdp, startFakeIdp } from '../helpers/fake-idp';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let idp: FakeIdp;
let providerId: string;

beforeAll(async () => {
  [app, idp] = await Promise.all([startTestApp(), startFakeIdp()]);
  // The app builds redirect URIs from APP_URL; point it at the port the test server got.
  app.services.config.APP_URL = app.url;
  const created = await app.services.sso.create(app.services.systemCtx(), {
    slug: 'district',
    type: 'oidc',
    displayName: 'District IdP',
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    issuer: idp.issuer,
    allowedDomains: ['school.example'],
  });
  providerId = created.id;
});
afterAll(async () => {
  await app?.close();
  await idp?.close();
});
beforeEach(() => idp.reset());

interface FlowResult {
  jar: CookieJar;
  /** The callback's answer. */
  status: number;
  location: string;
}

/** Browser-like walk: /auth/sso/:slug → IdP /authorize → /auth/callback/:slug. */
async function signIn(
  slug = 'district',
  opts: { next?: string; jar?: CookieJar; editCallback?: (url: URL) => void } = {},
): Promise<FlowResult> {
  const jar = opts.jar ?? new CookieJar();
  const start = `${app.url}/auth/sso/${slug}${opts.next ? `?next=${encodeURIComponent(opts.next)}` : ''}`;
  const begin = await fetch(start, { redirect: 'manual', headers: { cookie: jar.header(start) } });
  jar.store(begin);
  expect(begin.status).toBe(302);
  const location = begin.headers.get('location')!;
  if (location.startsWith(idp.issuer)) {
    const authorize = await fetch(location, { redirect: 'manual' });
    expect(authorize.status).toBe(302);
    const callback = new URL(authorize.headers.get('location')!);
    expect(callback.origin).toBe(app.url);
    opts.editCallback?.(callback);
    const done = await fetch(callback, {
      redirect: 'manual',
      headers: { cookie: jar.header(callback.href) },
    });
    jar.store(done);
    return { jar, status: done.status, location: done.headers.get('location')! };
  }
  return { jar, status: begin.status, location };
}

async function userByEmail(email: string) {
  const [row] = await app.database.db.select().from(users).where(eq(users.email, email));
  return row;
}

async function sessionCount(): Promise<number> {
  return (await app.database.db.select().from(sessions)).length;
}

async function expectRefused(result: FlowResult, code: string) {
  expect(result.status).toBe(302);
  expect(result.location).toBe(`/auth/signin?error=${code}`);
  expect(result.jar.get('aistudio_session')).toBeUndefined();
  expect(result.jar.get('aistudio_sso_flow')).toBeUndefined(); // flow state is single-use
  expect(app.services.sso.describeError(code)).toMatch(/\w+/);
}

describe('SSO sign-in against an OIDC provider', () => {
  it('sends the browser to the IdP with code + PKCE S256 + state + nonce, and a sealed HttpOnly flow cookie', async () => {
    const res = await app.fetch('/auth/sso/district?next=/chat', { redirect: 'manual' });
    expect(res.status).toBe(302);
    const url = new URL(res.headers.get('location')!);
    expect(`${url.origin}${url.pathname}`).toBe(`${idp.issuer}/authorize`);
    const p = url.searchParams;
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe(idp.clientId);
    expect(p.get('redirect_uri')).toBe(`${app.url}/auth/callback/district`);
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.get('state')).toBeTruthy();
    expect(p.get('nonce')).toBeTruthy();
    expect(p.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['openid', 'email']));
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('aistudio_sso_flow='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/auth\/callback/);
    // Sealed: neither the state nor the nonce can be read from it.
    expect(decodeURIComponent(cookie)).not.toContain(p.get('state')!);
    expect(decodeURIComponent(cookie)).not.toContain(p.get('nonce')!);
  });

  it('marks the flow cookie Secure when the public URL is https', async () => {
    const config = app.services.config;
    config.secureCookies = true;
    try {
      const res = await app.fetch('/auth/sso/district', { redirect: 'manual' });
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('aistudio_sso_flow='))!;
      expect(cookie).toMatch(/;\s*Secure/i);
    } finally {
      config.secureCookies = false;
    }
  });

  it('creates the user, links the account, sets the session cookie and returns to next', async () => {
    const before = await sessionCount();
    const result = await signIn('district', { next: '/chat?x=1' });
    expect(result.status).toBe(302);
    expect(result.location).toBe('/chat?x=1');
    const session = result.jar.get('aistudio_session')!;
    expect(session).toBeDefined();
    expect(session.attributes.join(';')).toMatch(/HttpOnly/i);
    expect(session.attributes.join(';')).toMatch(/SameSite=Lax/i);
    expect(await sessionCount()).toBe(before + 1);

    const user = await userByEmail('ada@school.example');
    expect(user).toMatchObject({ name: 'Ada Lovelace', status: 'active' });
    const linked = await app.database.db.select().from(accounts).where(eq(accounts.userId, user!.id));
    expect(linked).toEqual([expect.objectContaining({ provider: providerId, subject: 'user-1' })]);

    const resolved = await app.services.auth.resolveSession(app.services.systemCtx(), session.value);
    expect(resolved?.user.id).toBe(user!.id);
    // The code went back with the PKCE verifier and client authentication.
    expect(idp.tokenRequests[0]?.params.code_verifier).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(idp.tokenRequests[0]?.auth).toBe('basic');
  });

  it('links a second sign-in to the same user', async () => {
    const first = await userByEmail('ada@school.example');
    const result = await signIn();
    expect(result.location).toBe('/');
    const again = await userByEmail('ada@school.example');
    expect(again!.id).toBe(first!.id);
    const all = await app.database.db.select().from(users).where(eq(users.email, 'ada@school.example'));
    expect(all).toHaveLength(1);
    const linked = await app.database.db.select().from(accounts).where(eq(accounts.userId, first!.id));
    expect(linked).toHaveLength(1);
  });

  it('links an existing local account by verified e-mail', async () => {
    const local = await app.services.users.create(app.services.systemCtx(), {
      email: 'Grace@School.example',
      name: 'Grace Hopper',
      password: 'a-long-enough-password-123',
    });
    idp.nextUser = {
      sub: 'user-grace',
      email: 'grace@school.example',
      email_verified: true,
      name: 'G. Hopper',
    };
    const result = await signIn();
    expect(result.location).toBe('/');
    const resolved = await app.services.auth.resolveSession(
      app.services.systemCtx(),
      result.jar.get('aistudio_session')!.value,
    );
    expect(resolved?.user.id).toBe(local.id);
  });

  it('lets the owner of a backed-off account in by SSO at once (issue 15.3)', async () => {
    const ctx = { ...app.services.systemCtx(), ip: '10.9.9.9' };
    const email = 'katherine@school.example';
    await app.services.users.create(app.services.systemCtx(), {
      email,
      name: 'Katherine Johnson',
      password: 'a-long-enough-password-456',
    });
    // Someone guesses at the password until the account backs off.
    let last: { status?: number } = {};
    for (let i = 0; i < 7; i++)
      last = await app.services.auth.signIn(ctx, { email, password: 'not the password' }).catch((e) => e);
    expect(last.status).toBe(429);
    idp.nextUser = { sub: 'user-katherine', email, email_verified: true, name: 'Katherine Johnson' };
    const result = await signIn();
    expect(result.status).toBe(302);
    expect(result.location).toBe('/');
    const resolved = await app.services.auth.resolveSession(
      app.services.systemCtx(),
      result.jar.get('aistudio_session')!.value,
    );
    expect(resolved?.user.email).toBe(email);
  });

  it('never redirects off-site after sign-in', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      const result = await signIn('district', { next });
      expect(result.location).toBe('/');
    }
  });

  describe('refuses tampered or unacceptable answers without a session', () => {
    it.each([
      ['a token signed with a key not in the JWKS', { wrongKey: true }],
      ['a token signed with HS256 (the client secret)', { symmetric: true }],
      ['a wrong nonce', { wrongNonce: true }],
      ['a wrong audience', { wrongAudience: true }],
      ['a wrong issuer', { wrongIssuer: true }],
      ['an expired token', { expired: true }],
    ])('%s', async (_label, misbehaviour) => {
      idp.nextUser = { sub: 'mallory', email: 'mallory@school.example', email_verified: true };
      idp.misbehave(misbehaviour);
      const before = await sessionCount();
      await expectRefused(await signIn(), 'sso_invalid_token');
      expect(await sessionCount()).toBe(before);
      expect(await userByEmail('mallory@school.example')).toBeUndefined();
    });

    it('a state that does not match the one issued', async () => {
      const before = await sessionCount();
      const result = await signIn('district', { editCallback: (u) => u.searchParams.set('state', 'forged') });
      await expectRefused(result, 'sso_state');
      expect(await sessionCount()).toBe(before);
    });

    it('a callback arriving without the flow cookie (another browser, CSRF)', async () => {
      const begin = await app.fetch('/auth/sso/district', { redirect: 'manual' });
      const authorize = await fetch(begin.headers.get('location')!, { redirect: 'manual' });
      const done = await fetch(authorize.headers.get('location')!, { redirect: 'manual' });
      expect(done.headers.get('location')).toBe('/auth/signin?error=sso_state');
      expect(done.headers.getSetCookie().some((c) => c.startsWith('aistudio_session='))).toBe(false);
    });

    it('a flow cookie replayed for a different provider', async () => {
      await app.services.sso.create(app.services.systemCtx(), {
        slug: 'other',
        type: 'oidc',
        displayName: 'Other',
        clientId: idp.clientId,
        clientSecret: idp.clientSecret,
        issuer: idp.issuer,
      });
      const result = await signIn('district', {
        editCallback: (u) => {
          u.pathname = '/auth/callback/other';
        },
      });
      // The jar only sends the flow cookie to /auth/callback/*, so the cookie went; the provider differs.
      await expectRefused(result, 'sso_state');
    });

    it('an e-mail the IdP did not verify', async () => {
      idp.nextUser = { sub: 'u-unverified', email: 'eve@school.example', email_verified: false };
      await expectRefused(await signIn(), 'sso_email_unverified');
      expect(await userByEmail('eve@school.example')).toBeUndefined();
    });

    it('an e-mail outside the allowed domains', async () => {
      idp.nextUser = { sub: 'u-outsider', email: 'x@elsewhere.example', email_verified: true };
      await expectRefused(await signIn(), 'sso_domain');
      expect(await userByEmail('x@elsewhere.example')).toBeUndefined();
    });

    it('an error answered by the IdP', async () => {
      const result = await signIn('district', {
        editCallback: (u) => {
          u.searchParams.delete('code');
          u.searchParams.set('error', 'access_denied');
        },
      });
      await expectRefused(result, 'sso_denied');
    });

    it('a code the token endpoint rejects', async () => {
      idp.misbehave({ tokenError: 'invalid_grant' });
      await expectRefused(await signIn(), 'sso_token');
    });

    it('a disabled account', async () => {
      idp.nextUser = { sub: 'u-dis', email: 'dis@school.example', email_verified: true };
      await signIn();
      const user = await userByEmail('dis@school.example');
      await app.database.db.update(users).set({ status: 'disabled' }).where(eq(users.id, user!.id));
      await expectRefused(await signIn(), 'sso_account_disabled');
    });
  });

  it('answers unknown and disabled providers with a sign-in page message, not an error page', async () => {
    const unknown = await app.fetch('/auth/sso/nope', { redirect: 'manual' });
    expect(unknown.status).toBe(302);
    expect(unknown.headers.get('location')).toBe('/auth/signin?error=sso_unavailable');
    const other = (await app.services.sso.list(app.services.systemCtx())).find((p) => p.slug === 'other');
    if (other) await app.services.sso.update(app.services.systemCtx(), other.id, { enabled: false });
    const buttons = await app.services.sso.listEnabled(app.services.systemCtx());
    expect(buttons.map((b) => b.slug)).not.toContain('other');
    const disabled = await app.fetch('/auth/sso/other', { redirect: 'manual' });
    expect(disabled.headers.get('location')).toBe('/auth/signin?error=sso_unavailable');
  });

  it('maps IdP groups to roles (source sso) and re-syncs them at each sign-in', async () => {
    const ctx = app.services.systemCtx();
    await app.services.roles.create(ctx, { name: 'teacher', description: 'Teaching staff' });
    const mapped = await app.services.sso.create(ctx, {
      slug: 'mapped',
      type: 'oidc',
      displayName: 'Mapped',
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      issuer: idp.issuer,
      groupClaim: 'groups',
      groupRoles: { 'it-admins': 'administrator', teachers: 'teacher' },
    });
    expect(mapped.groupRoles).toEqual({ 'it-admins': 'administrator', teachers: 'teacher' });
    const roleRows = (userId: string) =>
      app.database.db
        .select({ name: roles.name, source: userRoles.source })
        .from(userRoles)
        .innerJoin(roles, eq(roles.id, userRoles.roleId))
        .where(eq(userRoles.userId, userId));
    const ssoRoles = async (userId: string) =>
      (await roleRows(userId))
        .filter((r) => r.source === 'sso')
        .map((r) => r.name)
        .sort();

    idp.nextUser = {
      sub: 'g-1',
      email: 'lin@school.example',
      email_verified: true,
      groups: ['it-admins', 'chess'],
    };
    expect((await signIn('mapped')).location).toBe('/');
    const user = await userByEmail('lin@school.example');
    expect(await ssoRoles(user!.id)).toEqual(['administrator']);

    idp.nextUser = { ...idp.nextUser, groups: ['teachers'] };
    await signIn('mapped');
    expect(await ssoRoles(user!.id)).toEqual(['teacher']);
    const manual = (await roleRows(user!.id)).filter((r) => r.source === 'manual');

    idp.nextUser = { ...idp.nextUser, groups: [] };
    await signIn('mapped');
    expect(await ssoRoles(user!.id)).toEqual([]);
    // Roles an administrator gave by hand are left alone.
    expect((await roleRows(user!.id)).filter((r) => r.source === 'manual')).toEqual(manual);

    // A mapped role deleted since is skipped; sign-in still works.
    const teacher = (await app.services.roles.list(ctx)).find((r) => r.name === 'teacher')!;
    await app.services.roles.remove(ctx, teacher.id);
    idp.nextUser = { ...idp.nextUser, groups: ['teachers', 'it-admins'] };
    expect((await signIn('mapped')).location).toBe('/');
    expect(await ssoRoles(user!.id)).toEqual(['administrator']);
  });
});
