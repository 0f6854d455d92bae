import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, roleCapabilities, roles } from '../../../db/schema/index';
import { seedIdentity } from '../../../db/seeds/identity';
import { createTestServices, type TestServices } from '../../../tests/helpers/test-app';
import { assertCan } from '../../lib/authz';
import { type Actor, createCtx, systemActor } from '../../lib/ctx';

let t: TestServices;
const cli = () => createCtx({ db: t.database.db, log: t.log, actor: systemActor('cli') });
const as = (actor: Actor) => createCtx({ db: t.database.db, log: t.log, actor });

beforeAll(async () => {
  t = await createTestServices();
});
afterAll(() => t?.close());

async function actorOf(email: string, roleNames: string[]): Promise<Actor> {
  const user = await t.services.users.create(cli(), { email, roles: roleNames });
  return (await t.services.users.actorFor(t.database.db, user.id))!;
}

describe('seed', () => {
  it('keeps an admin’s removal of a default capability across re-seeds', async () => {
    const [staff] = await t.database.db.select().from(roles).where(eq(roles.name, 'staff'));
    const link = and(eq(roleCapabilities.roleId, staff!.id), eq(roleCapabilities.capability, 'compare:use'));
    await t.database.db.delete(roleCapabilities).where(link);
    await seedIdentity(t.database.db);
    expect(await t.database.db.select().from(roleCapabilities).where(link)).toEqual([]);
    const all = await t.services.roles.list(cli());
    expect(all.map((r) => r.name)).toEqual(['administrator', 'staff', 'student']);
    expect(all.find((r) => r.name === 'administrator')!.capabilities).toHaveLength(13);
  });
});

describe('resource grants and assertCan', () => {
  it('opens a resource without grants to every holder of the capability, restricts it once granted', async () => {
    const admin = await actorOf('root@example.org', []); // the first account: administrator
    const teacher = await actorOf('t@example.org', ['staff']);
    const pupil = await actorOf('p@example.org', ['student']);
    const other = await actorOf('o@example.org', ['staff']);
    // No grants: the capability decides.
    await t.services.roles.assertCanAccess(as(teacher), 'assistants:use', 'assistant', 'a1');
    await t.services.roles.assertCanAccess(as(pupil), 'assistants:use', 'assistant', 'a1');
    await expect(
      t.services.roles.assertCanAccess(as(pupil), 'assistants:build', 'assistant', 'a1'),
    ).rejects.toMatchObject({
      code: 'forbidden:assistants',
      status: 403,
    });
    // Grant to the student role and one staff member.
    await t.services.roles.setGrants(cli(), {
      type: 'assistant',
      id: 'a1',
      manageCapability: 'assistants:build',
      grantees: { roles: ['student'], userIds: [teacher.id!] },
    });
    await t.services.roles.assertCanAccess(as(pupil), 'assistants:use', 'assistant', 'a1');
    await t.services.roles.assertCanAccess(as(teacher), 'assistants:use', 'assistant', 'a1');
    await expect(
      t.services.roles.assertCanAccess(as(other), 'assistants:use', 'assistant', 'a1'),
    ).rejects.toMatchObject({
      status: 403,
    });
    // Administrators always pass, granted or not.
    expect(admin.roles).toEqual(['administrator']);
    await t.services.roles.assertCanAccess(as(admin), 'assistants:use', 'assistant', 'a1');
    expect(await t.services.roles.listGrants(cli(), 'assistant', 'a1')).toEqual({
      roles: ['student'],
      userIds: [teacher.id],
    });
    // Only holders of the managing capability may change grants.
    await expect(
      t.services.roles.setGrants(as(pupil), {
        type: 'assistant',
        id: 'a1',
        manageCapability: 'assistants:build',
        grantees: { roles: [] },
      }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('refuses anonymous actors with 401', () => {
    expect(() => assertCan(createCtx({ db: t.database.db, log: t.log }).actor, 'chat:use')).toThrow(
      expect.objectContaining({ code: 'unauthorized:auth', status: 401 }),
    );
  });
});

describe('audit of role edits', () => {
  it('lists what an update changed: name and description before → after, capabilities added and removed', async () => {
    const role = await t.services.roles.create(cli(), {
      name: 'teachers',
      description: 'Classroom staff',
      capabilities: ['chat:use', 'compare:use'],
    });
    await t.services.roles.update(cli(), role.id, {
      name: 'faculty',
      description: 'Classroom staff',
      capabilities: ['chat:use', 'knowledge:use', 'api:keys'],
    });
    // Nothing changed: the event says so by listing nothing but the role.
    await t.services.roles.update(cli(), role.id, {
      capabilities: ['api:keys', 'knowledge:use', 'chat:use'],
    });
    const events = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'roles.update'), eq(auditEvents.targetId, role.id)))
      .orderBy(auditEvents.id);
    expect(events.map((e) => e.details)).toEqual([
      {
        role: 'teachers',
        name: { from: 'teachers', to: 'faculty' },
        capabilities: { added: ['api:keys', 'knowledge:use'], removed: ['compare:use'] },
      },
      { role: 'faculty' },
    ]);
  });

  it('lists who a grant change added and removed (issue 15.11)', async () => {
    const teacher = await actorOf('grants-t@example.org', ['staff']);
    const set = (grantees: { roles?: string[]; userIds?: string[] }) =>
      t.services.roles.setGrants(cli(), {
        type: 'model',
        id: 'm-grants',
        manageCapability: 'admin:models',
        grantees,
      });
    await set({ roles: ['staff'] });
    await set({ roles: ['student'], userIds: [teacher.id!] });
    const events = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'grants.update'), eq(auditEvents.targetId, 'm-grants')))
      .orderBy(auditEvents.id);
    expect(events.map((e) => e.details)).toEqual([
      { roles: { added: ['staff'], removed: [] } },
      {
        roles: { added: ['student'], removed: ['staff'] },
        userIds: { added: [teacher.id], removed: [] },
      },
    ]);
  });
});
