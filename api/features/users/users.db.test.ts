import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, type TestServices } from '../../../tests/helpers/test-app';
import { createCtx, systemActor } from '../../lib/ctx';

let t: TestServices;
const ctx = () => createCtx({ db: t.database.db, log: t.log });
const cli = () => createCtx({ db: t.database.db, log: t.log, actor: systemActor('cli') });

beforeAll(async () => {
  t = await createTestServices();
});
afterAll(() => t?.close());

describe('first account', () => {
  // On PGlite the socket serialises transactions; on Postgres the sign-ups really race.
  it('makes exactly one administrator when sign-ups race on an empty database', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        t.services.auth.signUp(ctx(), { email: `racer${i}@example.org`, password: `race password ${i}` }),
      ),
    );
    const roles = results.map((r) => r.user.roles.map((x) => x.name).join(','));
    expect(roles.filter((r) => r === 'administrator')).toHaveLength(1);
    expect(roles.filter((r) => r === 'staff')).toHaveLength(4);
  });
});

describe('SSO users', () => {
  const profile = {
    provider: 'google',
    subject: 'sub-1',
    email: 'Racer2@example.org',
    emailVerified: true,
    name: 'Racer Two',
  };

  it('links a verified e-mail to the existing account and maps IdP roles as sso roles', async () => {
    const user = await t.services.users.findOrCreateFromSso(ctx(), { ...profile, roles: ['student'] });
    expect(user.email).toBe('racer2@example.org');
    const view = await t.services.users.get(cli(), user.id);
    expect(view.roles).toEqual(expect.arrayContaining([{ name: 'student', source: 'sso' }]));
    // Next sign-in: the same account through the linked identity; an empty mapping clears the sso roles.
    const again = await t.services.users.findOrCreateFromSso(ctx(), {
      ...profile,
      email: 'other@example.org',
      roles: [],
    });
    expect(again.id).toBe(user.id);
    expect((await t.services.users.get(cli(), user.id)).roles.every((r) => r.source === 'manual')).toBe(true);
  });

  it('refuses to link an unverified e-mail and creates new users for unknown ones', async () => {
    await expect(
      t.services.users.findOrCreateFromSso(ctx(), { ...profile, subject: 'sub-2', emailVerified: false }),
    ).rejects.toMatchObject({ code: 'forbidden:auth' });
    const fresh = await t.services.users.findOrCreateFromSso(ctx(), {
      ...profile,
      subject: 'sub-3',
      email: 'new@example.org',
    });
    expect((await t.services.users.get(cli(), fresh.id)).roles).toEqual([
      { name: 'staff', source: 'manual' },
    ]);
    expect(await t.services.users.linkedAccounts(cli(), fresh.id)).toEqual([
      expect.objectContaining({ provider: 'google', email: 'new@example.org' }),
    ]);
  });

  it('refuses disabled users', async () => {
    const user = (await t.services.users.findByEmail(cli(), 'new@example.org'))!;
    await t.services.users.setStatus(cli(), user.id, 'disabled');
    await expect(
      t.services.users.findOrCreateFromSso(ctx(), { ...profile, subject: 'sub-3', email: 'new@example.org' }),
    ).rejects.toMatchObject({ code: 'forbidden:auth' });
  });
});

describe('lookups that reveal people', () => {
  it('answer the system and administrators, and refuse a student, an anonymous caller and a token', async () => {
    const { user } = await t.services.auth.signUp(ctx(), {
      email: 'lookup.student@example.org',
      password: 'a long student password',
    });
    await t.services.users.update(cli(), user.id, { roles: ['student'] });
    const student = await t.services.users.actorFor(t.database.db, user.id);
    const as = (actor: NonNullable<typeof student>) => createCtx({ db: t.database.db, log: t.log, actor });
    const other = (await t.services.users.findByEmail(cli(), 'racer1@example.org'))!;
    const asStudent = as(student!);
    await expect(t.services.users.findByEmail(asStudent, 'racer1@example.org')).rejects.toMatchObject({
      status: 403,
    });
    await expect(t.services.users.labels(asStudent, [other.id])).rejects.toMatchObject({ status: 403 });
    await expect(t.services.audit.list(asStudent, { limit: 5 })).rejects.toMatchObject({ status: 403 });
    await expect(t.services.users.findByEmail(ctx(), 'racer1@example.org')).rejects.toMatchObject({
      status: 401,
    });
    expect((await t.services.users.labels(cli(), [other.id, 'not-a-uuid'])).get(other.id)?.email).toBe(
      'racer1@example.org',
    );
  });
});

describe('SSO role re-mapping', () => {
  it('is written and audited only when the identity provider changes the roles', async () => {
    const profile = {
      provider: 'google',
      subject: 'sub-remap',
      email: 'remap@example.org',
      emailVerified: true,
      name: 'Remap',
    };
    const remaps = async (userId: string) =>
      (await t.services.audit.list(cli(), { action: 'users.sso_roles', limit: 50 })).filter(
        (e) => e.targetId === userId,
      );
    const user = await t.services.users.findOrCreateFromSso(ctx(), { ...profile, roles: ['student'] });
    expect((await remaps(user.id)).map((e) => e.details)).toEqual([
      { provider: 'google', roles: { from: [], to: ['student'] } },
    ]);
    await t.services.users.findOrCreateFromSso(ctx(), { ...profile, roles: ['student'] });
    expect(await remaps(user.id)).toHaveLength(1);
    await t.services.users.findOrCreateFromSso(ctx(), { ...profile, roles: [] });
    const events = await remaps(user.id);
    expect(events).toHaveLength(2);
    expect(events[0]!.details).toEqual({ provider: 'google', roles: { from: ['student'], to: [] } });
  });
});
