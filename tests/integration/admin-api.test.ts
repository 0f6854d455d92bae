/** The admin REST API the console builds on: users, roles, sessions, passwords, sign-up policy, audit. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCtx, systemActor } from '../../api/lib/ctx';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let adminCookie = '';
let staffId = '';
let staffCookie = '';

beforeAll(async () => {
  app = await startTestApp();
  const ctx = createCtx({ db: app.database.db, log: app.log, actor: systemActor('cli') });
  const admin = await app.services.users.create(ctx, { email: 'admin@example.org', name: 'Admin' });
  adminCookie = `aistudio_session=${(await app.services.auth.createSession(ctx, admin.id)).token}`;
  const staff = await app.services.users.create(ctx, { email: 'teacher@example.org', name: 'Teacher' });
  staffId = staff.id;
  staffCookie = `aistudio_session=${(await app.services.auth.createSession(ctx, staff.id)).token}`;
});
afterAll(() => app?.close());

function api(path: string, init: { method?: string; body?: unknown; cookie?: string } = {}) {
  return app.fetch(path, {
    method: init.method ?? 'GET',
    headers: { cookie: init.cookie ?? adminCookie, origin: app.url, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

describe('admin users API', () => {
  it('searches and paginates', async () => {
    const page = await (await api('/api/admin/users?q=teach&limit=1')).json();
    expect(page).toMatchObject({ total: 1, nextOffset: null, items: [{ email: 'teacher@example.org' }] });
    const all = await (await api('/api/admin/users?limit=1')).json();
    expect(all).toMatchObject({ total: 2, nextOffset: 1 });
    const bad = await api('/api/admin/users?limit=0');
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.details.fields.limit).toBeTruthy();
  });

  it('changes roles, names unknown roles as a field error, and audits the change', async () => {
    const unknown = await api(`/api/admin/users/${staffId}`, {
      method: 'PATCH',
      body: { roles: ['wizard'] },
    });
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).error.details.fields.roles).toContain('wizard');
    const res = await api(`/api/admin/users/${staffId}`, { method: 'PATCH', body: { roles: ['student'] } });
    expect(res.status).toBe(200);
    expect((await res.json()).roles).toEqual([{ name: 'student', source: 'manual' }]);
    // The new role applies to the user's next request.
    const me = await (await api('/api/auth/session', { cookie: staffCookie })).json();
    expect(me.capabilities).toEqual(['assistants:use', 'chat:use']);
    const audit = await (await api('/api/admin/audit?action=users.update')).json();
    expect(audit.items[0]).toMatchObject({
      action: 'users.update',
      targetId: staffId,
      actorLabel: 'Admin',
      details: { roles: { from: ['staff'], to: ['student'] } },
    });
  });

  it('lists and revokes a user’s sessions, resets a password, disables', async () => {
    const sessions = await (await api(`/api/admin/users/${staffId}/sessions`)).json();
    expect(sessions.items).toHaveLength(1);
    const revoked = await api(`/api/admin/users/${staffId}/sessions`, { method: 'DELETE' });
    expect(await revoked.json()).toEqual({ revoked: 1 });
    expect((await api('/api/auth/session', { cookie: staffCookie })).status).toBe(401);
    const weak = await api(`/api/admin/users/${staffId}/password`, {
      method: 'POST',
      body: { password: 'x' },
    });
    expect((await weak.json()).error.details.fields.password).toBeTruthy();
    const ok = await api(`/api/admin/users/${staffId}/password`, {
      method: 'POST',
      body: { password: 'a fresh password' },
    });
    expect(ok.status).toBe(200);
    const self = await api('/api/auth/session');
    const adminId = (await self.json()).user.id;
    const selfDisable = await api(`/api/admin/users/${adminId}`, {
      method: 'PATCH',
      body: { status: 'disabled' },
    });
    expect(selfDisable.status).toBe(409);
    const off = await api(`/api/admin/users/${staffId}`, { method: 'PATCH', body: { status: 'disabled' } });
    expect((await off.json()).status).toBe('disabled');
  });
});

describe('roles, capabilities and sign-up policy', () => {
  it('creates, edits and deletes a custom role; built-in roles stay', async () => {
    const caps = await (await api('/api/admin/capabilities')).json();
    expect(caps.items.map((c: { name: string }) => c.name)).toContain('knowledge:manage');
    const created = await api('/api/admin/roles', {
      method: 'POST',
      body: {
        name: 'librarian',
        description: 'Curates knowledge',
        capabilities: ['knowledge:use', 'knowledge:manage'],
      },
    });
    expect(created.status).toBe(201);
    const role = await created.json();
    const dup = await api('/api/admin/roles', { method: 'POST', body: { name: 'librarian' } });
    expect(dup.status).toBe(409);
    const badCap = await api(`/api/admin/roles/${role.id}`, {
      method: 'PATCH',
      body: { capabilities: ['fly:use'] },
    });
    expect((await badCap.json()).error.details.fields.capabilities).toContain('fly:use');
    const patched = await api(`/api/admin/roles/${role.id}`, {
      method: 'PATCH',
      body: { capabilities: ['chat:use'] },
    });
    expect((await patched.json()).capabilities).toEqual(['chat:use']);
    expect((await api(`/api/admin/roles/${role.id}`, { method: 'DELETE' })).status).toBe(204);
    const roles = (await (await api('/api/admin/roles')).json()).items;
    const student = roles.find((r: { name: string }) => r.name === 'student');
    expect(student).toMatchObject({ isSystem: true, capabilities: ['assistants:use', 'chat:use'] });
    expect((await api(`/api/admin/roles/${student.id}`, { method: 'DELETE' })).status).toBe(403);
    expect(
      (await api(`/api/admin/roles/${student.id}`, { method: 'PATCH', body: { name: 'pupil' } })).status,
    ).toBe(403);
  });

  it('reads and changes the sign-up policy', async () => {
    expect(await (await api('/api/admin/settings/auth')).json()).toEqual({
      signupEnabled: true,
      signupDomains: [],
      defaultRole: 'staff',
    });
    const res = await api('/api/admin/settings/auth', {
      method: 'PATCH',
      body: { signupEnabled: false, signupDomains: ['school.org', '@district.org'] },
    });
    expect(await res.json()).toEqual({
      signupEnabled: false,
      signupDomains: ['school.org', 'district.org'],
      defaultRole: 'staff',
    });
    const bad = await api('/api/admin/settings/auth', {
      method: 'PATCH',
      body: { signupDomains: ['not a domain'] },
    });
    expect(bad.status).toBe(422);
  });
});

describe('audit log', () => {
  it('pages with a cursor, filters by actor and exports CSV', async () => {
    const first = await (await api('/api/admin/audit?limit=2')).json();
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBe(first.items[1].id);
    const second = await (await api(`/api/admin/audit?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].id).toBeLessThan(first.nextCursor);
    const mine = await (await api(`/api/admin/audit?actor=${staffId}`)).json();
    expect(mine.items.every((e: { actorId: string }) => e.actorId === staffId)).toBe(true);
    const csv = await api('/api/admin/audit.csv?action=roles.create');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toMatch(
      /attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,created_at,actor_id,actor_type,actor_label,action,target_type,target_id,ip,request_id,details',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',roles.create,role,');
    const badDate = await api('/api/admin/audit?from=yesterday');
    expect(badDate.status).toBe(422);
  });
});
