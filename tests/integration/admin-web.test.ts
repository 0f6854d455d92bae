/**
 * The admin console's loaders and actions over real HTTP (document requests, as a browser without
 * JavaScript sends them): every page refuses non-admins with 403, actions change data only through the
 * services (with audit events), refused input answers 4xx with the field named, and secrets never come
 * back in a page. The settings pages: admin-settings-web.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../api/features/audit/audit-actions';
import {
  type AdminConsole,
  administratorOf,
  auditActionsOf,
  startAdminConsole,
  systemOf,
} from '../helpers/admin-console';
import { startFakeIdp } from '../helpers/fake-idp';
import type { TestApp } from '../helpers/test-app';

let t: AdminConsole;
let app: TestApp;
let ids: AdminConsole['ids'];
beforeAll(async () => {
  t = await startAdminConsole();
  ({ app, ids } = t);
});
afterAll(async () => {
  await app?.close();
});

const get: AdminConsole['get'] = (path, who) => t.get(path, who);
const post: AdminConsole['post'] = (path, who, fields) => t.post(path, who, fields);
const sys = () => systemOf(t);
const adminCtx = () => administratorOf(t);
const auditActions = () => auditActionsOf(t);

const PAGES = [
  '/admin',
  '/admin/users',
  '/admin/roles',
  '/admin/audit',
  '/admin/auth',
  '/admin/auth/sso/new',
  '/admin/models',
  '/admin/budgets',
  '/admin/settings',
  '/admin/oauth-clients',
];

describe('access', () => {
  it('answers every admin page with 403 to staff and students, and sends visitors to sign in', async () => {
    for (const path of PAGES) {
      for (const who of ['staff', 'student'] as const) {
        const res = await get(path, who);
        expect(res.status, `${who} ${path}`).toBe(403);
        const body = await res.text();
        expect(body, body.slice(0, 400)).toContain('You do not have access to this page');
      }
      const anon = await app.fetch(path, { redirect: 'manual' });
      expect(anon.status, path).toBe(302);
      expect(anon.headers.get('location')).toBe(`/auth/signin?next=${encodeURIComponent(path)}`);
    }
    expect((await get(`/admin/users/${ids.student}`, 'staff')).status).toBe(403);
  });

  it('refuses a staff member posting to an admin action, and nothing changes', async () => {
    const res = await post(`/admin/users/${ids.student}`, 'staff', {
      intent: 'roles',
      roles: 'administrator',
    });
    expect(res.status).toBe(403);
    const student = await app.services.users.get(sys(), ids.student!);
    expect(student.roles.map((r) => r.name)).toEqual(['student']);
  });

  it('opens every admin page to an administrator', async () => {
    for (const path of PAGES.slice(1)) expect((await get(path, 'admin')).status, path).toBe(200);
    expect((await get('/admin', 'admin')).headers.get('location')).toBe('/admin/users');
    expect((await get('/admin/users/not-a-user', 'admin')).status).toBe(404);
  });
});

describe('users and roles', () => {
  it('changes roles, disables (ending sessions) and re-enables a person, each audited', async () => {
    const target = ids.staff!;
    expect(
      (await post(`/admin/users/${target}`, 'admin', { intent: 'roles', roles: ['staff', 'student'] }))
        .status,
    ).toBe(200);
    expect((await app.services.users.get(sys(), target)).roles.map((r) => r.name).sort()).toEqual([
      'staff',
      'student',
    ]);
    expect(
      (await post(`/admin/users/${target}`, 'admin', { intent: 'status', status: 'disabled' })).status,
    ).toBe(200);
    expect((await get('/admin/users', 'staff')).status).toBe(302); // their session ended
    await post(`/admin/users/${target}`, 'admin', { intent: 'status', status: 'active' });
    expect((await app.services.users.get(sys(), target)).status).toBe('active');
    expect(await auditActions()).toEqual(
      expect.arrayContaining(['users.update', 'users.disable', 'users.enable']),
    );
    const { token } = await app.services.auth.createSession(sys(), target);
    t.cookie.staff = `aistudio_session=${token}`;
  });

  it('adds a person with a role, and refuses a taken e-mail address', async () => {
    const res = await post('/admin/users?index', 'admin', {
      intent: 'create',
      email: 'New.Teacher@Lakeside.example',
      name: 'New Teacher',
      password: '',
      role: 'staff',
    });
    expect(res.status).toBe(200);
    const user = await app.services.users.findByEmail(sys(), 'new.teacher@lakeside.example');
    expect(user?.passwordHash).toBeNull(); // SSO-only until a password is set
    expect((await app.services.users.get(sys(), user!.id)).roles.map((r) => r.name)).toEqual(['staff']);
    const again = await post('/admin/users?index', 'admin', {
      intent: 'create',
      email: 'new.teacher@lakeside.example',
      role: 'staff',
    });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('is already registered');
  });

  it('refuses a too-short admin-set password with the field named, and an admin disabling themself', async () => {
    const res = await post(`/admin/users/${ids.student}`, 'admin', {
      intent: 'set-password',
      password: 'short',
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('at least 10 characters');
    const self = await post(`/admin/users/${ids.administrator}`, 'admin', {
      intent: 'status',
      status: 'disabled',
    });
    expect(self.status).toBe(409);
    expect((await app.services.users.get(sys(), ids.administrator!)).status).toBe('active');
  });

  it('creates, edits and deletes a custom role; built-in roles cannot be deleted', async () => {
    const bad = await post('/admin/roles', 'admin', {
      intent: 'create',
      name: 'x',
      capabilities: 'chat:use',
    });
    expect(bad.status).toBe(422);
    const ok = await post('/admin/roles', 'admin', {
      intent: 'create',
      name: 'librarian',
      description: 'School librarians',
      capabilities: ['chat:use', 'knowledge:manage'],
    });
    expect(ok.status).toBe(200);
    const roles = await app.services.roles.list(sys());
    const librarian = roles.find((r) => r.name === 'librarian')!;
    expect(librarian.capabilities.sort()).toEqual(['chat:use', 'knowledge:manage']);
    const unknown = await post('/admin/roles', 'admin', {
      intent: 'update',
      id: librarian.id,
      capabilities: 'nope:x',
    });
    expect(unknown.status).toBe(422);
    const student = roles.find((r) => r.name === 'student')!;
    expect((await post('/admin/roles', 'admin', { intent: 'delete', id: student.id })).status).toBe(403);
    expect((await post('/admin/roles', 'admin', { intent: 'delete', id: librarian.id })).status).toBe(200);
    expect((await app.services.roles.list(sys())).some((r) => r.name === 'librarian')).toBe(false);
  });
});

describe('SSO test button', () => {
  it('reports discovery and keys of a reachable issuer, and a readable failure of an unreachable one', async () => {
    const idp = await startFakeIdp();
    try {
      const res = await post('/admin/auth/sso/new', 'admin', {
        type: 'oidc',
        slug: 'district-idp',
        displayName: 'District login',
        clientId: 'aistudio',
        clientSecret: 'idp-secret',
        issuer: idp.issuer,
        enabled: 'on',
      });
      expect(res.status).toBe(302);
      const page = res.headers.get('location')!.split('?')[0]!;
      const ok = await post(page, 'admin', { intent: 'test' });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('Test passed');
      const id = page.split('/').at(-1)!;
      await app.services.sso.update(sys(), id, { issuer: 'http://127.0.0.1:9/nowhere' });
      const bad = await post('/admin/auth?index', 'admin', { intent: 'test', id });
      expect(bad.status).toBe(200);
      expect(await bad.text()).toContain('Test failed');
      expect(await auditActions()).toContain('sso.provider.test');
    } finally {
      await idp.close();
    }
  });
});

describe('budgets and profile', () => {
  it('sets a role budget and a personal override by e-mail', async () => {
    expect(
      (
        await post('/admin/budgets', 'admin', {
          intent: 'save-role',
          role: 'student',
          limitTokens: '100,000',
          limitCostUsd: '',
        })
      ).status,
    ).toBe(200);
    const bad = await post('/admin/budgets', 'admin', {
      intent: 'add-user',
      email: 'nobody@x.example',
      limitTokens: '5',
    });
    expect(bad.status).toBe(422);
    const ok = await post('/admin/budgets', 'admin', {
      intent: 'add-user',
      email: 'student@lakeside.example',
      limitCostUsd: '2.50',
    });
    expect(ok.status).toBe(200);
    const budgets = await app.services.budgets.list(await adminCtx());
    expect(budgets.map((b) => [b.scope, b.role ?? b.userEmail, b.limitTokens, b.limitCostUsd])).toEqual(
      expect.arrayContaining([
        ['role', 'student', 100000, null],
        ['user', 'student@lakeside.example', null, '2.5'],
      ]),
    );
  });

  it('audits a budget edit as its changed limits, before → after, and the audit page reads it so', async () => {
    const budget = (await app.services.budgets.list(await adminCtx())).find(
      (b) => b.userEmail === 'student@lakeside.example',
    )!;
    await app.services.budgets.update(await adminCtx(), budget.id, { limitCostUsd: '5' });
    const [event] = await app.services.audit.list(sys(), { action: 'budgets.update', limit: 1 });
    expect(event!.details).toEqual({ limitCostUsd: { from: '2.5', to: '5' } });
    const page = await (await get('/admin/audit?action=budgets.update', 'admin')).text();
    expect(page).toContain('limitCostUsd: 2.5 → 5');
  });

  it("ends sessions: a person their other device, an admin all of someone else's", async () => {
    const other = await app.services.auth.createSession(sys(), ids.student!);
    const mine = await app.services.auth.listUserSessions(await adminCtx(), ids.student!);
    expect(mine.map((s) => s.id)).toContain(other.sessionId);
    expect((await post('/profile', 'student', { intent: 'revoke', id: other.sessionId })).status).toBe(200);
    expect((await get('/profile', 'student')).status).toBe(200); // this device stays signed in
    const left = await app.services.auth.listUserSessions(await adminCtx(), ids.student!);
    expect(left.map((s) => s.id)).not.toContain(other.sessionId);
    // Someone else's session id is not theirs to end.
    const adminSession = (await app.services.auth.listUserSessions(await adminCtx(), ids.administrator!))[0]!;
    expect((await post('/profile', 'student', { intent: 'revoke', id: adminSession.id })).status).toBe(404);

    const spare = await app.services.auth.createSession(sys(), ids.student!);
    const res = await post(`/admin/users/${ids.student}`, 'admin', { intent: 'revoke-sessions' });
    expect(res.status).toBe(200);
    expect(await app.services.auth.listUserSessions(await adminCtx(), ids.student!)).toEqual([]);
    expect((await get('/profile', 'student')).status).toBe(302);
    expect(await auditActions()).toContain('sessions.revoke_all');
    const { token } = await app.services.auth.createSession(sys(), ids.student!);
    t.cookie.student = `aistudio_session=${token}`;
    expect(spare.sessionId).toBeTruthy();
  });

  it('offers every recorded action as an audit filter suggestion, failed sign-ins included (issue 15.3)', async () => {
    await app.services.auth
      .signIn(
        { ...sys(), ip: '203.0.113.50' },
        { email: 'nobody@lakeside.example', password: 'not-a-password' },
      )
      .catch(() => undefined);
    const html = await (await get('/admin/audit?action=auth.signin_failed', 'admin')).text();
    const suggested = [...html.matchAll(/<option value="([a-z_.]+)"/g)].map((m) => m[1]);
    expect(suggested).toEqual([...AUDIT_ACTIONS]);
    expect(suggested).toEqual(expect.arrayContaining(['auth.signin_failed', 'graph.decision_capture']));
    // The failed attempt is listed with the e-mail tried and the reason, never the password.
    expect(html).toContain('nobody@lakeside.example');
    expect(html).toContain('unknown_account');
    expect(html).not.toContain('not-a-password');
  });

  it('lets anyone change their own name and password, and refuses a mismatched repeat', async () => {
    expect((await get('/profile', 'student')).status).toBe(200);
    const nameBefore = (await app.services.users.get(sys(), ids.student!)).name;
    expect((await post('/profile', 'student', { intent: 'name', name: 'Sam Student' })).status).toBe(200);
    expect((await app.services.users.get(sys(), ids.student!)).name).toBe('Sam Student');
    // Audited as what changed, before → after (issue 15.11), and the audit page reads it so.
    const [event] = await app.services.audit.list(sys(), { action: 'users.profile_update', limit: 1 });
    expect(event!.details).toEqual({ name: { from: nameBefore, to: 'Sam Student' } });
    expect(await (await get('/admin/audit?action=users.profile_update', 'admin')).text()).toContain(
      `name: ${nameBefore} → Sam Student`,
    );
    const mismatch = await post('/profile', 'student', {
      intent: 'password',
      currentPassword: 'Correct-horse-battery-staple-42',
      newPassword: 'A-brand-new-passphrase-7',
      confirmPassword: 'A-different-passphrase-7',
    });
    expect(mismatch.status).toBe(422);
    const wrong = await post('/profile', 'student', {
      intent: 'password',
      currentPassword: 'not-my-password',
      newPassword: 'A-brand-new-passphrase-7',
      confirmPassword: 'A-brand-new-passphrase-7',
    });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('is not correct');
  });
});
