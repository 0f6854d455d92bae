import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('sign-in', () => {
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

  it('throttles 10 failures per account with the same answer for unknown e-mails', async () => {
    const attempt = (email: string) =>
      failure(t.services.auth.signIn(ctx('10.0.0.2'), { email, password: 'wrong password!' }));
    const known: AppError[] = [];
    const unknown: AppError[] = [];
    for (let i = 0; i < 10; i++) {
      known.push(await attempt('second@example.org'));
      unknown.push(await attempt('ghost@example.org'));
    }
    const shape = (e: AppError) => ({ code: e.code, message: e.message, status: e.status });
    expect(known.slice(0, 9).map(shape)).toEqual(unknown.slice(0, 9).map(shape));
    expect(shape(known[0]!)).toEqual({
      code: 'unauthorized:auth',
      message: 'Incorrect e-mail or password',
      status: 401,
    });
    for (const e of [known[9]!, unknown[9]!]) {
      expect(e.status).toBe(429);
      expect(Number(e.headers['Retry-After'])).toBeGreaterThan(0);
    }
    // Even the right password is refused while the account is throttled.
    const blocked = await failure(
      t.services.auth.signIn(ctx('10.0.0.3'), { email: 'second@example.org', password: 'correct horse 2' }),
    );
    expect(blocked.status).toBe(429);
    expect(blocked.message).toBe(unknown[9]!.message);
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
});
