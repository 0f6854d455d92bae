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
