import { and, asc, count, desc, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../../../db/client';
import {
  accounts,
  roleCapabilities,
  roles,
  type UserStatus,
  userRoles,
  users,
} from '../../../db/schema/index';
import { prepared } from '../../lib/prepared';

export type UserRow = typeof users.$inferSelect;
export type AccountRow = typeof accounts.$inferSelect;

export async function findUserById(db: Queryable, id: string): Promise<UserRow | undefined> {
  const query = prepared(db, 'users_by_id', (d) =>
    d
      .select()
      .from(users)
      .where(eq(users.id, sql.placeholder('id')))
      .limit(1)
      .prepare('users_by_id'),
  );
  const [row] = await query.execute({ id });
  return row;
}

export function namesOfUsers(db: Queryable, ids: string[]) {
  return db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(inArray(users.id, ids));
}

export async function findUserByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
    .limit(1);
  return row;
}

export async function insertUser(db: Queryable, values: typeof users.$inferInsert): Promise<UserRow> {
  const [row] = await db
    .insert(users)
    .values({ ...values, email: values.email.toLowerCase() })
    .returning();
  return row!;
}

export async function updateUser(
  db: Queryable,
  id: string,
  patch: Partial<Pick<UserRow, 'name' | 'avatarUrl' | 'status' | 'passwordHash' | 'lastLoginAt'>>,
): Promise<UserRow | undefined> {
  const [row] = await db
    .update(users)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(users.id, id))
    .returning();
  return row;
}

export async function anyUserExists(db: Queryable): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).limit(1);
  return row !== undefined;
}

export interface UserFilter {
  q?: string;
  status?: UserStatus;
  role?: string;
  limit: number;
  offset: number;
}

export async function searchUsers(db: Queryable, f: UserFilter): Promise<{ rows: UserRow[]; total: number }> {
  const where: SQL[] = [];
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push(or(ilike(users.email, like), ilike(users.name, like))!);
  }
  if (f.status) where.push(eq(users.status, f.status));
  if (f.role) {
    where.push(
      sql`exists (select 1 from ${userRoles} join ${roles} on ${roles.id} = ${userRoles.roleId}
                  where ${userRoles.userId} = ${users.id} and ${roles.name} = ${f.role})`,
    );
  }
  const cond = and(...where);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(users)
      .where(cond)
      .orderBy(desc(users.createdAt), asc(users.id))
      .limit(f.limit)
      .offset(f.offset),
    db.select({ n: count() }).from(users).where(cond),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export interface UserRoleRow {
  userId: string;
  roleId: string;
  name: string;
  source: string;
}

export function rolesOfUsers(db: Queryable, userIds: string[]): Promise<UserRoleRow[]> {
  if (userIds.length === 0) return Promise.resolve([]);
  const query = prepared(db, 'roles_of_users', (d) =>
    d
      .select({ userId: userRoles.userId, roleId: roles.id, name: roles.name, source: userRoles.source })
      .from(userRoles)
      .innerJoin(roles, eq(roles.id, userRoles.roleId))
      .where(sql`${userRoles.userId} = any(${sql.placeholder('ids')}::uuid[])`)
      .orderBy(asc(roles.name))
      .prepare('roles_of_users'),
  );
  return query.execute({ ids: userIds });
}

/**
 * The same grants as two array columns of the caller's select over `users` (correlated subqueries), so
 * a user and their grants come back in one query (session and key resolution on a cache miss).
 */
export const grantsColumns = () => ({
  roles: sql<
    string[]
  >`coalesce((select array_agg(distinct ${roles.name}) from ${userRoles} join ${roles} on ${roles.id} = ${userRoles.roleId} where ${userRoles.userId} = ${users.id}), '{}')`,
  capabilities: sql<
    string[]
  >`coalesce((select array_agg(distinct ${roleCapabilities.capability}) from ${userRoles} join ${roleCapabilities} on ${roleCapabilities.roleId} = ${userRoles.roleId} where ${userRoles.userId} = ${users.id}), '{}')`,
});

/** Role names and the union of their capabilities, in one query. */
export async function grantsOfUser(
  db: Queryable,
  userId: string,
): Promise<{ roles: string[]; capabilities: string[] }> {
  const rows = await db
    .select({ role: roles.name, capability: roleCapabilities.capability })
    .from(userRoles)
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .leftJoin(roleCapabilities, eq(roleCapabilities.roleId, roles.id))
    .where(eq(userRoles.userId, userId));
  const roleSet = new Set<string>();
  const caps = new Set<string>();
  for (const r of rows) {
    roleSet.add(r.role);
    if (r.capability) caps.add(r.capability);
  }
  return { roles: [...roleSet], capabilities: [...caps] };
}

/** Replaces the user's roles of one source (manual or sso) with `roleIds`. */
export async function replaceUserRoles(
  db: Queryable,
  userId: string,
  roleIds: string[],
  source: 'manual' | 'sso',
): Promise<void> {
  await db.delete(userRoles).where(and(eq(userRoles.userId, userId), eq(userRoles.source, source)));
  if (roleIds.length) {
    await db
      .insert(userRoles)
      .values(roleIds.map((roleId) => ({ userId, roleId, source })))
      .onConflictDoNothing();
  }
}

export async function findAccount(
  db: Queryable,
  provider: string,
  subject: string,
): Promise<AccountRow | undefined> {
  const [row] = await db
    .select()
    .from(accounts)
    .where(and(eq(accounts.provider, provider), eq(accounts.subject, subject)))
    .limit(1);
  return row;
}

export async function insertAccount(
  db: Queryable,
  values: typeof accounts.$inferInsert,
): Promise<AccountRow> {
  const [row] = await db.insert(accounts).values(values).onConflictDoNothing().returning();
  return row ?? (await findAccount(db, values.provider, values.subject))!;
}

export async function touchAccount(db: Queryable, id: string, email: string | null): Promise<void> {
  await db.update(accounts).set({ lastLoginAt: new Date(), email }).where(eq(accounts.id, id));
}

export function accountsOfUser(db: Queryable, userId: string): Promise<AccountRow[]> {
  return db.select().from(accounts).where(eq(accounts.userId, userId)).orderBy(asc(accounts.provider));
}
