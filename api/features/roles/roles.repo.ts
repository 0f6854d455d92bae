import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../../../db/client';
import { capabilities, resourceGrants, roleCapabilities, roles, userRoles } from '../../../db/schema/index';

export type RoleRow = typeof roles.$inferSelect;
export type CapabilityRow = typeof capabilities.$inferSelect;

export interface RoleWithCapabilities extends RoleRow {
  capabilities: string[];
  userCount: number;
}

export async function listRolesWithCapabilities(db: Queryable): Promise<RoleWithCapabilities[]> {
  const [rows, links, counts] = await Promise.all([
    db.select().from(roles).orderBy(asc(roles.name)),
    db.select().from(roleCapabilities).orderBy(asc(roleCapabilities.capability)),
    db.select({ roleId: userRoles.roleId, n: count() }).from(userRoles).groupBy(userRoles.roleId),
  ]);
  return rows.map((r) => ({
    ...r,
    capabilities: links.filter((l) => l.roleId === r.id).map((l) => l.capability),
    userCount: counts.find((c) => c.roleId === r.id)?.n ?? 0,
  }));
}

export async function findRoleById(db: Queryable, id: string): Promise<RoleRow | undefined> {
  const [row] = await db.select().from(roles).where(eq(roles.id, id)).limit(1);
  return row;
}

export function findRolesByName(db: Queryable, names: string[]): Promise<RoleRow[]> {
  if (names.length === 0) return Promise.resolve([]);
  return db.select().from(roles).where(inArray(roles.name, names));
}

export async function insertRole(
  db: Queryable,
  values: typeof roles.$inferInsert,
): Promise<RoleRow | undefined> {
  const [row] = await db.insert(roles).values(values).onConflictDoNothing().returning();
  return row;
}

export async function updateRole(
  db: Queryable,
  id: string,
  patch: Partial<Pick<RoleRow, 'name' | 'description'>>,
): Promise<RoleRow | undefined> {
  const [row] = await db
    .update(roles)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(roles.id, id))
    .returning();
  return row;
}

export async function deleteRole(db: Queryable, id: string): Promise<boolean> {
  const rows = await db.delete(roles).where(eq(roles.id, id)).returning({ id: roles.id });
  return rows.length > 0;
}

export async function replaceRoleCapabilities(db: Queryable, roleId: string, caps: string[]): Promise<void> {
  await db.delete(roleCapabilities).where(eq(roleCapabilities.roleId, roleId));
  if (caps.length)
    await db.insert(roleCapabilities).values(caps.map((capability) => ({ roleId, capability })));
}

export function listCapabilities(db: Queryable): Promise<CapabilityRow[]> {
  return db.select().from(capabilities).orderBy(asc(capabilities.name));
}

export interface GrantRow {
  id: string;
  roleId: string | null;
  roleName: string | null;
  userId: string | null;
}

export function grantsOfResource(
  db: Queryable,
  resourceType: string,
  resourceId: string,
): Promise<GrantRow[]> {
  return db
    .select({
      id: resourceGrants.id,
      roleId: resourceGrants.roleId,
      roleName: roles.name,
      userId: resourceGrants.userId,
    })
    .from(resourceGrants)
    .leftJoin(roles, eq(roles.id, resourceGrants.roleId))
    .where(and(eq(resourceGrants.resourceType, resourceType), eq(resourceGrants.resourceId, resourceId)));
}

export async function replaceGrants(
  db: Queryable,
  resourceType: string,
  resourceId: string,
  grantees: { roleIds: string[]; userIds: string[] },
): Promise<void> {
  await db
    .delete(resourceGrants)
    .where(and(eq(resourceGrants.resourceType, resourceType), eq(resourceGrants.resourceId, resourceId)));
  const values = [
    ...grantees.roleIds.map((roleId) => ({ resourceType, resourceId, roleId })),
    ...grantees.userIds.map((userId) => ({ resourceType, resourceId, userId })),
  ];
  if (values.length) await db.insert(resourceGrants).values(values);
}
