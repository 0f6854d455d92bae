/**
 * /api/auth/session and /api/v1/me answer from cached views of the person (and of the key): every change
 * to what they show is visible on the very next request in this process — a name edited by the person or
 * an administrator, roles, a password set, a new sign-in (last login), a disabled account, a revoked key.
 * Other processes: hot-cache-notify.pg.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Ctx, withActor } from '../../api/lib/ctx';
import { usersForEachRole } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let admin: string;
beforeAll(async () => {
  app = await startTestApp();
  admin = (await usersForEachRole(app)).cookies.administrator;
});
afterAll(() => app?.close());

interface SessionBody {
  user: { name: string; hasPassword: boolean; lastLoginAt: string | null; roles: { name: string }[] };
}

const session = async (cookie: string) => {
  const res = await app.fetch('/api/auth/session', { headers: { cookie } });
  return res.status === 200 ? ((await res.json()) as SessionBody).user : res.status;
};

const me = async (secret: string) => {
  const res = await app.fetch('/api/v1/me', { headers: { authorization: `Bearer ${secret}` } });
  return res.status === 200
    ? ((await res.json()) as { name: string; roles: string[]; apiKey: { name: string } })
    : res.status;
};

const patchUser = (id: string, body: unknown) =>
  app.fetch(`/api/admin/users/${id}`, {
    method: 'PATCH',
    headers: { cookie: admin, 'content-type': 'application/json', origin: app.url },
    body: JSON.stringify(body),
  });

/** A staff member without a password, signed in once (cookie + the ctx of that session), with a key. */
async function person(email: string) {
  const system = app.services.systemCtx();
  const user = await app.services.users.create(system, { email, name: 'Before', roles: ['staff'] });
  const signedIn = await app.services.auth.createSession(system, user.id);
  const actor = await app.services.users.actorFor(app.database.db, user.id, {
    sessionId: signedIn.sessionId,
  });
  const ctx: Ctx = withActor(system, actor!);
  const { secret } = await app.services.apiKeys.createForEmail(system, email, {
    name: 'view key',
    scopes: ['*'],
  });
  return { id: user.id, cookie: `aistudio_session=${signedIn.token}`, ctx, secret };
}

describe('cached own views', () => {
  it('a name changed by the person shows on the next session read and /api/v1/me', async () => {
    const p = await person('renamed-self@lakeside.example');
    expect(await session(p.cookie)).toMatchObject({ name: 'Before' }); // cached now
    expect(await me(p.secret)).toMatchObject({ name: 'Before' });
    await app.services.users.updateProfile(p.ctx, { name: 'After' });
    expect(await session(p.cookie)).toMatchObject({ name: 'After' });
    expect(await me(p.secret)).toMatchObject({ name: 'After' });
  });

  it("an administrator's rename and role change show at once", async () => {
    const p = await person('renamed-by-admin@lakeside.example');
    expect(await me(p.secret)).toMatchObject({ name: 'Before', roles: ['staff'] });
    expect(await session(p.cookie)).toMatchObject({ roles: [{ name: 'staff' }] });
    expect((await patchUser(p.id, { name: 'Renamed', roles: ['student'] })).status).toBe(200);
    expect(await me(p.secret)).toMatchObject({ name: 'Renamed', roles: ['student'] });
    expect(await session(p.cookie)).toMatchObject({ name: 'Renamed', roles: [{ name: 'student' }] });
  });

  it('a password set by the person shows at once (and their key stops)', async () => {
    const p = await person('new-password@lakeside.example');
    expect(await session(p.cookie)).toMatchObject({ hasPassword: false });
    await app.services.auth.changePassword(p.ctx, {
      currentPassword: '',
      newPassword: 'Correct-horse-battery-staple-42',
    });
    expect(await session(p.cookie)).toMatchObject({ hasPassword: true });
    expect(await me(p.secret)).toBe(401);
  });

  it("another sign-in updates the older session's last login", async () => {
    const p = await person('two-browsers@lakeside.example');
    const first = await session(p.cookie);
    expect(first).toMatchObject({ lastLoginAt: expect.any(String) });
    await new Promise((r) => setTimeout(r, 5));
    await app.services.auth.createSession(app.services.systemCtx(), p.id);
    const second = await session(p.cookie);
    expect(typeof second === 'object' && second.lastLoginAt).not.toBe(
      typeof first === 'object' && first.lastLoginAt,
    );
  });

  it('a disabled person is refused on the next request by session and by key', async () => {
    const p = await person('disabled-view@lakeside.example');
    expect(await session(p.cookie)).toMatchObject({ name: 'Before' });
    expect(await me(p.secret)).toMatchObject({ name: 'Before' });
    expect((await patchUser(p.id, { status: 'disabled' })).status).toBe(200);
    expect(await session(p.cookie)).toBe(401);
    expect(await me(p.secret)).toBe(401);
  });
});
