import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sessions } from '../../../db/schema/index';
import { createTestServices, type TestServices } from '../../../tests/helpers/test-app';
import { type Ctx, createCtx, systemActor } from '../../lib/ctx';
import { AppError } from '../../lib/errors';

let t: TestServices;
const ctx = (ip: string | null = '10.0.0.1'): Ctx => createCtx({ db: t.database.db, log: t.log, ip });
const admin = (): Ctx => createCtx({ db: t.database.db, log: t.log, actor: systemActor('cli') });

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

beforeAll(async () => {
  t = await createTestServices();
});
afterAll(() => t?.close());

describe('sign-up', () => {
  it('makes the first account administrator and the second staff', async () => {
    const a = await t.services.auth.signUp(ctx(), {
      email: 'First@Example.org',
      password: 'correct horse 1',
    });
    expect(a.user.email).toBe('first@example.org');
    expect(a.user.roles.map((r) => r.name)).toEqual(['administrator']);
    const b = await t.services.auth.signUp(ctx(), {
      email: 'second@example.org',
      password: 'correct horse 2',
    });
    expect(b.user.roles.map((r) => r.name)).toEqual(['staff']);
    const dup = await failure(
      t.services.auth.signUp(ctx(), { email: 'SECOND@example.org', password: 'correct horse 2' }),
    );
    expect(dup.status).toBe(409);
    expect(dup.details).toMatchObject({ fields: { email: expect.any(String) } });
  });

  it('names the password field when the policy fails', async () => {
    for (const password of ['short', 'aaaaaaaaaaaaa', 'policy@example.org']) {
      const err = await failure(t.services.auth.signUp(ctx(), { email: 'policy@example.org', password }));
      expect(err.status).toBe(422);
      expect(Object.keys((err.details as { fields: object }).fields)).toEqual(['password']);
    }
    const bad = await failure(t.services.auth.signUp(ctx(), { email: 'nope', password: 'long enough 123' }));
    expect(Object.keys((bad.details as { fields: object }).fields)).toEqual(['email']);
  });

  it('honours sign-up off, domain restriction and the default role', async () => {
    await t.services.auth.setSignupPolicy(admin(), { signupEnabled: false });
    expect(
      (await failure(t.services.auth.signUp(ctx(), { email: 'x@example.org', password: 'long enough 123' })))
        .code,
    ).toBe('forbidden:auth');
    await t.services.auth.setSignupPolicy(admin(), {
      signupEnabled: true,
      signupDomains: ['@school.org'],
      defaultRole: 'student',
    });
    const err = await failure(
      t.services.auth.signUp(ctx(), { email: 'x@example.org', password: 'long enough 123' }),
    );
    expect(err.code).toBe('forbidden:auth');
    expect(err.details).toMatchObject({ fields: { email: expect.stringContaining('@school.org') } });
    const ok = await t.services.auth.signUp(ctx(), { email: 'kid@school.org', password: 'long enough 123' });
    expect(ok.user.roles.map((r) => r.name)).toEqual(['student']);
    const policy = await t.services.auth.setSignupPolicy(admin(), {
      signupDomains: [],
      defaultRole: 'staff',
    });
    expect(policy).toEqual({ signupEnabled: true, signupDomains: [], defaultRole: 'staff' });
    const unknownRole = await failure(t.services.auth.setSignupPolicy(admin(), { defaultRole: 'wizard' }));
    expect(unknownRole.details).toMatchObject({ fields: { defaultRole: expect.any(String) } });
  });
});

describe('sign-up strength and enumeration', () => {
  it('refuses common and patterned passwords with a field message, on every path that sets one', async () => {
    for (const password of ['1234567890', 'password12', 'qwertyuiop', 'Password1!']) {
      const err = await failure(t.services.auth.signUp(ctx(), { email: 'weak@example.org', password }));
      expect(err.status).toBe(422);
      expect((err.details as { fields: Record<string, string> }).fields.password).toMatch(
        /too easy to guess/,
      );
    }
    const user = await t.services.users.findByEmail(admin(), 'second@example.org');
    const reset = await failure(t.services.auth.setPassword(admin(), user!.id, 'qwertyuiop'));
    expect((reset.details as { fields: Record<string, string> }).fields.password).toMatch(
      /too easy to guess/,
    );
  });

  it('answers the public form the same for a new and an existing address', async () => {
    const existing = await t.services.auth.register(ctx('10.1.0.1'), {
      email: 'second@example.org',
      password: 'another good passphrase 9',
    });
    const fresh = await t.services.auth.register(ctx('10.1.0.1'), {
      email: 'third@example.org',
      password: 'another good passphrase 9',
    });
    expect(existing).toEqual({ session: null });
    expect(fresh).toEqual({ session: null });
    // The new account exists and signs in; the existing one kept its password.
    await t.services.auth.signIn(ctx(), {
      email: 'third@example.org',
      password: 'another good passphrase 9',
    });
    await t.services.auth.signIn(ctx(), { email: 'second@example.org', password: 'correct horse 2' });
    const events = await t.services.audit.list(admin(), { action: 'auth.signup_existing', limit: 5 });
    expect(events.map((e) => (e.details as { email: string }).email)).toEqual(['second@example.org']);
  });

  it('throttles sign-ups per IP by the auth.signup_ip_limit setting', async () => {
    await t.services.settings.set(admin(), { key: 'auth.signup_ip_limit', value: '2' });
    try {
      const attempt = (n: number, ip = '10.2.0.1') =>
        t.services.auth.register(ctx(ip), {
          email: `s${n}@example.org`,
          password: 'another good passphrase 9',
        });
      await attempt(1);
      await attempt(2);
      const limited = await failure(attempt(3));
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['Retry-After'])).toBeGreaterThan(0);
      await attempt(4, '10.2.0.2');
    } finally {
      await t.services.settings.set(admin(), { key: 'auth.signup_ip_limit', value: '100' });
    }
  });
});

describe('sign-in', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  it('signs in with the right password and resolves the session to an actor', async () => {
    const { session, user } = await t.services.auth.signIn(ctx(), {
      email: 'SECOND@example.org',
      password: 'correct horse 2',
    });
    expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.cookie).toContain('HttpOnly');
    const stored = await t.database.db.select().from(sessions).where(eq(sessions.id, session.sessionId));
    expect(stored[0]?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0]?.tokenHash).not.toBe(session.token);
    const resolved = await t.services.auth.resolveSession(ctx(), session.token);
    expect(resolved?.actor).toMatchObject({ id: user.id, roles: ['staff'] });
    expect(resolved?.actor.capabilities.has('chat:use')).toBe(true);
    expect(resolved?.actor.capabilities.has('admin:users')).toBe(false);
  });

  it('backs an account off after 5 failures, the same for unknown e-mails, and lets the owner in after it', async () => {
    const attempt = (email: string) =>
      failure(t.services.auth.signIn(ctx('10.0.0.2'), { email, password: 'wrong password!' }));
    const known: AppError[] = [];
    const unknown: AppError[] = [];
    // The clock stands still while the attempts run, so a slow machine cannot outlast the backoff.
    // (Real timers come back in the finally below, or in afterEach when an expectation fails first.)
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    for (let i = 0; i < 7; i++) {
      known.push(await attempt('second@example.org'));
      unknown.push(await attempt('ghost@example.org'));
    }
    const shape = (e: AppError) => ({ code: e.code, message: e.message, status: e.status });
    expect(known.map(shape)).toEqual(unknown.map(shape));
    expect(known.slice(0, 6).map((e) => e.status)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(shape(known[0]!)).toEqual({
      code: 'unauthorized:auth',
      message: 'Incorrect e-mail or password',
      status: 401,
    });
    for (const e of [known[6]!, unknown[6]!]) {
      expect(e.status).toBe(429);
      expect(Number(e.headers['Retry-After'])).toBeGreaterThan(0);
    }
    // The right password from another IP waits out the (short) backoff, then gets in.
    const right = () =>
      t.services.auth.signIn(ctx('10.0.0.3'), { email: 'second@example.org', password: 'correct horse 2' });
    const blocked = await failure(right());
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['Retry-After'])).toBeLessThanOrEqual(60);
    try {
      vi.setSystemTime(Date.now() + Number(blocked.headers['Retry-After']) * 1000);
      expect((await right()).user.email).toBe('second@example.org');
    } finally {
      vi.useRealTimers();
    }
    // Failed sign-ins are in the audit log: e-mail tried, reason, IP; never the password.
    const events = await t.services.audit.list(admin(), { action: 'auth.signin_failed', limit: 100 });
    const reasons = new Set(
      events.map(
        (e) => `${(e.details as { email: string }).email} ${(e.details as { reason: string }).reason}`,
      ),
    );
    expect(reasons).toEqual(
      new Set([
        'second@example.org wrong_password',
        'ghost@example.org unknown_account',
        'second@example.org account_backoff',
        'ghost@example.org account_backoff',
      ]),
    );
    expect(events.every((e) => e.ip === '10.0.0.2' || e.ip === '10.0.0.3')).toBe(true);
    expect(JSON.stringify(events)).not.toContain('wrong password!');
    expect(JSON.stringify(events)).not.toContain('correct horse 2');
  });

  it('limits failed sign-ins per IP by the auth.signin_ip_limit setting', async () => {
    await t.services.settings.set(admin(), { key: 'auth.signin_ip_limit', value: '3' });
    try {
      for (const email of ['a1@example.org', 'a2@example.org', 'a3@example.org'])
        expect(
          (await failure(t.services.auth.signIn(ctx('10.9.9.9'), { email, password: 'nope nope' }))).status,
        ).toBe(401);
      const limited = await failure(
        t.services.auth.signIn(ctx('10.9.9.9'), { email: 'first@example.org', password: 'correct horse 1' }),
      );
      expect(limited.status).toBe(429);
      // Another address of the same building is not affected.
      await t.services.auth.signIn(ctx('10.9.9.10'), {
        email: 'first@example.org',
        password: 'correct horse 1',
      });
    } finally {
      await t.services.settings.set(admin(), { key: 'auth.signin_ip_limit', value: '300' });
    }
  });
});

describe('sessions', () => {
  it('slides the expiry at most every few minutes', async () => {
    const { session } = await t.services.auth.signIn(ctx(), {
      email: 'first@example.org',
      password: 'correct horse 1',
    });
    const first = await t.services.auth.resolveSession(ctx(), session.token);
    expect(first?.cookie).toBeUndefined(); // just created: no write
    const soon = new Date(Date.now() + 60_000);
    const old = new Date(Date.now() - 10 * 60_000);
    await t.database.db
      .update(sessions)
      .set({ expiresAt: soon, lastSeenAt: old })
      .where(eq(sessions.id, session.sessionId));
    // Ten minutes "pass": far beyond the hot cache's lifetime, so the next lookup reads the row.
    t.services.caches.changed();
    const slid = await t.services.auth.resolveSession(ctx(), session.token);
    expect(slid?.cookie).toContain('Max-Age=2592000');
    expect(slid!.session.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    await t.database.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, session.sessionId));
    t.services.caches.changed();
    expect(await t.services.auth.resolveSession(ctx(), session.token)).toBeNull();
    // The hourly cleanup job removes it.
    expect(await t.services.auth.deleteExpiredSessions(admin())).toBe(1);
    expect(await t.database.db.select().from(sessions).where(eq(sessions.id, session.sessionId))).toEqual([]);
  });

  it('ends every session of a user who is disabled', async () => {
    const s1 = await t.services.auth.signIn(ctx(), { email: 'kid@school.org', password: 'long enough 123' });
    const s2 = await t.services.auth.signIn(ctx(), { email: 'kid@school.org', password: 'long enough 123' });
    const user = s1.user;
    await t.services.users.update(admin(), user.id, { status: 'disabled' });
    expect(await t.services.auth.resolveSession(ctx(), s1.session.token)).toBeNull();
    expect(await t.services.auth.resolveSession(ctx(), s2.session.token)).toBeNull();
    expect(await t.database.db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
    const err = await failure(
      t.services.auth.signIn(ctx(), { email: 'kid@school.org', password: 'long enough 123' }),
    );
    expect(err.code).toBe('forbidden:auth');
    await t.services.users.update(admin(), user.id, { status: 'active' });
  });

  it('changes a password with the current one and ends the other sessions', async () => {
    const a = await t.services.auth.signIn(ctx(), { email: 'kid@school.org', password: 'long enough 123' });
    const b = await t.services.auth.signIn(ctx(), { email: 'kid@school.org', password: 'long enough 123' });
    const me = (await t.services.auth.resolveSession(ctx(), a.session.token))!.actor;
    const meCtx = createCtx({ db: t.database.db, log: t.log, actor: me });
    const wrong = await failure(
      t.services.auth.changePassword(meCtx, {
        currentPassword: 'nope nope nope',
        newPassword: 'brand new pass 1',
      }),
    );
    expect(wrong.details).toMatchObject({ fields: { currentPassword: 'is not correct' } });
    const ok = await t.services.auth.changePassword(meCtx, {
      currentPassword: 'long enough 123',
      newPassword: 'brand new pass 1',
    });
    expect(ok.sessionsEnded).toBe(1);
    expect(await t.services.auth.resolveSession(ctx(), a.session.token)).not.toBeNull();
    expect(await t.services.auth.resolveSession(ctx(), b.session.token)).toBeNull();
    const sessionsSeen = await t.services.auth.listMySessions(meCtx);
    expect(sessionsSeen).toEqual([expect.objectContaining({ id: a.session.sessionId, current: true })]);
    await t.services.auth.setPassword(admin(), me.id!, 'admin chosen 42');
    expect(await t.services.auth.resolveSession(ctx(), a.session.token)).toBeNull();
    await t.services.auth.signIn(ctx(), { email: 'kid@school.org', password: 'admin chosen 42' });
  });

  it('revokes API keys on a password change, an admin reset and a re-enable, and says how many', async () => {
    const key = () =>
      t.services.apiKeys
        .createForEmail(admin(), 'kid@school.org', { name: 'k', scopes: ['*'] })
        .then((k) => k.secret);
    const works = (secret: string) =>
      t.services.apiKeys.resolve(ctx(), secret).then(
        () => true,
        () => false,
      );
    const a = await t.services.auth.signIn(ctx(), { email: 'kid@school.org', password: 'admin chosen 42' });
    const me = (await t.services.auth.resolveSession(ctx(), a.session.token))!.actor;
    const meCtx = createCtx({ db: t.database.db, log: t.log, actor: me });

    const k1 = await key();
    expect(await works(k1)).toBe(true);
    const changed = await t.services.auth.changePassword(meCtx, {
      currentPassword: 'admin chosen 42',
      newPassword: 'a third passphrase 7',
    });
    expect(changed.apiKeysRevoked).toBe(1);
    expect(await works(k1)).toBe(false);

    const k2 = await key();
    expect((await t.services.auth.setPassword(admin(), me.id!, 'a fourth passphrase 8')).apiKeysRevoked).toBe(
      1,
    );
    expect(await works(k2)).toBe(false);

    const k3 = await key();
    await t.services.users.update(admin(), me.id!, { status: 'disabled' });
    await t.services.users.update(admin(), me.id!, { status: 'active' });
    expect(await works(k3)).toBe(false);
    const [disabled] = await t.services.audit.list(admin(), { action: 'users.disable', limit: 1 });
    expect(disabled?.details).toMatchObject({ status: { apiKeysRevoked: 1 } });
  });
});
