/**
 * Cached session actors never outlive the change that made them stale in this process (audited changes).
 * Other processes: hot-cache-notify.pg.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usersForEachRole } from '../helpers/session';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let people: Awaited<ReturnType<typeof usersForEachRole>>;
beforeAll(async () => {
  app = await startTestApp();
  people = await usersForEachRole(app);
});
afterAll(() => app?.close());

const capabilitiesOf = async (cookie: string) => {
  const res = await app.fetch('/api/auth/session', { headers: { cookie } });
  return res.status === 200 ? ((await res.json()) as { capabilities: string[] }).capabilities : res.status;
};

const patchUser = (id: string, body: unknown) =>
  app.fetch(`/api/admin/users/${id}`, {
    method: 'PATCH',
    headers: { cookie: people.cookies.administrator, 'content-type': 'application/json', origin: app.url },
    body: JSON.stringify(body),
  });

describe('hot caches in the serving process', () => {
  it('a role change applies to the next request though the session was cached', async () => {
    expect(await capabilitiesOf(people.cookies.staff)).not.toContain('admin:users'); // cached now
    expect((await patchUser(people.ids.staff, { roles: ['administrator'] })).status).toBe(200);
    expect(await capabilitiesOf(people.cookies.staff)).toContain('admin:users');
  });

  it('a disabled user is signed out at once', async () => {
    expect(await capabilitiesOf(people.cookies.student)).toContain('chat:use');
    expect((await patchUser(people.ids.student, { status: 'disabled' })).status).toBe(200);
    expect(await capabilitiesOf(people.cookies.student)).toBe(401);
  });
});

describe('cached API keys', () => {
  const keyFor = async (email: string) => {
    const ctx = app.services.systemCtx();
    await app.services.users.create(ctx, { email, roles: ['staff'] });
    const { key, secret } = await app.services.apiKeys.createForEmail(ctx, email, {
      name: 'cached',
      scopes: ['*'],
    });
    return { id: key.id, secret };
  };
  const me = async (secret: string) => {
    const res = await app.fetch('/api/v1/me', { headers: { authorization: `Bearer ${secret}` } });
    const body = (await res.json()) as { roles?: string[]; error?: { message: string } };
    return { status: res.status, roles: body.roles, message: body.error?.message };
  };

  it('a revoked key is refused on the next request though it was cached', async () => {
    const { id, secret } = await keyFor('keyed@lakeside.example');
    expect((await me(secret)).status).toBe(200);
    expect((await me(secret)).status).toBe(200); // served from the cache
    const revoked = await app.fetch(`/api/admin/api-keys/${id}`, {
      method: 'DELETE',
      headers: { cookie: people.cookies.administrator, origin: app.url },
    });
    expect(revoked.status).toBe(200);
    expect(await me(secret)).toMatchObject({ status: 401, message: expect.stringMatching(/revoked/) });
  });

  it("a role change and a disabled owner reach a cached key's next request", async () => {
    const { secret } = await keyFor('keyed-owner@lakeside.example');
    expect((await me(secret)).roles).toEqual(['staff']); // cached now
    const owner = await app.services.users.findByEmail(
      app.services.systemCtx(),
      'keyed-owner@lakeside.example',
    );
    expect((await patchUser(owner!.id, { roles: ['student'] })).status).toBe(200);
    expect((await me(secret)).roles).toEqual(['student']);
    expect((await patchUser(owner!.id, { status: 'disabled' })).status).toBe(200);
    expect(await me(secret)).toMatchObject({ status: 401, message: expect.stringMatching(/disabled/) });
  });
});
