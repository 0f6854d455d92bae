/**
 * People: creation (local, admin/CLI, SSO), search, roles, status, profile, and the Actor built from a user.
 * The first account ever created becomes administrator — decided under an advisory lock so two concurrent
 * sign-ups cannot both see an empty table.
 */
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Queryable } from '../../../db/client';
import type { UserStatus } from '../../../db/schema/index';
import { ADMIN_ROLE, assertCan, assertSignedIn, assertSystemOrAdmin } from '../../lib/authz';
import { type Actor, type Ctx, systemActor, userActor, withActor } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import type { HotCaches, TtlCache } from '../../lib/hot-cache';
import { isUuid } from '../../lib/ids';
import { parseInput } from '../../lib/validate';
import { revokeKeysOfUser } from '../api-keys/api-keys.repo';
import type { AuditService } from '../audit/audit.service';
import { fieldChanges } from '../audit/changes';
import { Email, hashPassword } from '../auth/password';
import { deleteSessionsOfUser } from '../auth/sessions.repo';
import type { RolesService } from '../roles/roles.service';
import type { SettingsService } from '../settings/settings.service';
import {
  CreateUserInput,
  ListUsersInput,
  type SsoProfile,
  toUserView,
  UpdateProfileInput,
  UpdateUserInput,
  type UserView,
} from './users.inputs';
import {
  accountsOfUser,
  anyUserExists,
  findAccount,
  findUserByEmail,
  findUserById,
  grantsOfUser,
  insertAccount,
  insertUser,
  namesOfUsers,
  replaceUserRoles,
  rolesOfUsers,
  searchUsers,
  touchAccount,
  type UserRow,
  updateUser,
} from './users.repo';

/** Lock key for "is this the first account?" (any constant, shared by every process). */
const FIRST_USER_LOCK = 7_301_001;

export * from './users.inputs';

export class UsersService {
  /** People's own views by id (/api/auth/session, /api/v1/me): a hot cache, so what clears actors clears it. */
  private readonly views: TtlCache<UserView>;

  constructor(
    private readonly deps: {
      audit: AuditService;
      roles: RolesService;
      settings: SettingsService;
      caches: HotCaches;
    },
  ) {
    this.views = deps.caches.create({ max: 50_000 });
  }

  // ——— reading ———

  /** A person's own view, cached (the caller authenticated them). 404 `not_found:users` when unknown. */
  ownView(db: Queryable, userId: string): UserView | Promise<UserView> {
    return this.views.read(userId, async () => viewOfUser(db, await loadUser(db, userId)));
  }

  /** Drops a person's cached view (after a change no audited action announces, e.g. last login). */
  forgetView(userId: string): void {
    this.views.delete(userId);
  }

  async get(ctx: Ctx, id: string): Promise<UserView> {
    if (ctx.actor.id !== id) assertCan(ctx.actor, 'admin:users');
    return viewOfUser(ctx.db, await loadUser(ctx.db, id));
  }

  /** Name and e-mail of these people, for administrators' pages (audit, grants); unknown ids are absent. */
  async labels(ctx: Ctx, ids: string[]): Promise<Map<string, { name: string; email: string }>> {
    assertSystemOrAdmin(ctx.actor);
    const valid = [...new Set(ids.filter(isUuid))];
    if (valid.length === 0) return new Map();
    return new Map((await namesOfUsers(ctx.db, valid)).map((u) => [u.id, { name: u.name, email: u.email }]));
  }

  async list(
    ctx: Ctx,
    input: z.input<typeof ListUsersInput>,
  ): Promise<{ items: UserView[]; total: number; nextOffset: number | null }> {
    assertCan(ctx.actor, 'admin:users');
    const f = parseInput(ListUsersInput, input, 'users');
    const { rows, total } = await searchUsers(ctx.db, f);
    const roles = await rolesOfUsers(
      ctx.db,
      rows.map((r) => r.id),
    );
    const items = rows.map((u) =>
      toUserView(
        u,
        roles.filter((r) => r.userId === u.id),
      ),
    );
    const next = f.offset + rows.length;
    return { items, total, nextOffset: next < total ? next : null };
  }

  /**
   * A person by e-mail, case-insensitively, for the CLI, jobs and administrators picking someone (budgets,
   * model grants, audit filters, keys). Sign-in uses the repository directly: its caller is anonymous.
   */
  async findByEmail(ctx: Ctx, email: string): Promise<UserRow | undefined> {
    assertSystemOrAdmin(ctx.actor);
    return findUserByEmail(ctx.db, email);
  }

  async linkedAccounts(ctx: Ctx, userId: string) {
    if (ctx.actor.id !== userId) assertCan(ctx.actor, 'admin:users');
    return (await accountsOfUser(ctx.db, userId)).map((a) => ({
      provider: a.provider,
      email: a.email,
      createdAt: a.createdAt.toISOString(),
      lastLoginAt: a.lastLoginAt?.toISOString() ?? null,
    }));
  }

  /** The actor for a user id, or null when the user is missing or disabled. */
  async actorFor(
    db: Queryable,
    userId: string,
    extra: {
      sessionId?: string;
      type?: 'user' | 'api_key' | 'oauth';
      scopes?: ReadonlySet<string> | null;
    } = {},
  ): Promise<Actor | null> {
    const user = await findUserById(db, userId);
    if (user?.status !== 'active') return null;
    return this.actorFromRow(db, user, extra);
  }

  async actorFromRow(
    db: Queryable,
    user: UserRow,
    extra: {
      sessionId?: string;
      type?: 'user' | 'api_key' | 'oauth';
      scopes?: ReadonlySet<string> | null;
    } = {},
  ): Promise<Actor> {
    const grants = await grantsOfUser(db, user.id);
    return userActor({ user, ...grants, ...extra });
  }

  // ——— creating ———

  /**
   * Inserts a user inside `tx` and gives it its first roles: administrator when it is the very first
   * account, else `roles` when given, else the `auth.default_role` setting (default staff).
   */
  async insertWithInitialRoles(
    ctx: Ctx,
    tx: Queryable,
    values: { email: string; name: string; passwordHash: string | null; avatarUrl?: string | null },
    roles?: string[],
  ): Promise<{ user: UserRow; roles: string[]; first: boolean }> {
    await tx.execute(sql`select pg_advisory_xact_lock(${FIRST_USER_LOCK})`);
    if (await findUserByEmail(tx, values.email)) {
      throw new AppError('conflict:users', 'An account with this e-mail address already exists', {
        details: { fields: { email: 'is already registered' } },
      });
    }
    const first = !(await anyUserExists(tx));
    const names = first ? [ADMIN_ROLE] : roles?.length ? roles : [await this.defaultRole({ ...ctx, db: tx })];
    const roleRows = await this.deps.roles.resolveNames({ ...ctx, db: tx }, names);
    const user = await insertUser(tx, values);
    await replaceUserRoles(
      tx,
      user.id,
      roleRows.map((r) => r.id),
      'manual',
    );
    return { user, roles: roleRows.map((r) => r.name), first };
  }

  /** Admin / CLI creation of a local account. */
  async create(ctx: Ctx, input: z.input<typeof CreateUserInput>): Promise<UserView> {
    assertCan(ctx.actor, 'admin:users');
    const data = parseInput(CreateUserInput, input, 'users');
    const passwordHash = data.password ? await hashPassword(data.password) : null;
    const user = await ctx.db.transaction(async (tx) => {
      const created = await this.insertWithInitialRoles(
        ctx,
        tx,
        { email: data.email, name: data.name, passwordHash },
        data.roles,
      );
      await this.deps.audit.record(
        { ...ctx, db: tx },
        {
          action: 'users.create',
          targetType: 'user',
          targetId: created.user.id,
          details: { roles: created.roles },
        },
      );
      return created.user;
    });
    return viewOfUser(ctx.db, user);
  }

  /**
   * SSO sign-in: the linked account's user, else the user with the same verified e-mail (then linked),
   * else a new user (first account = administrator). IdP-mapped roles replace the `sso` role rows.
   * Throws forbidden:auth for disabled users and for unverified e-mail addresses that match an account.
   */
  async findOrCreateFromSso(ctx: Ctx, profile: SsoProfile): Promise<UserRow> {
    const email = parseInput(Email, profile.email, 'auth');
    const user = await ctx.db.transaction(async (tx) => {
      const txCtx = { ...ctx, db: tx };
      const linked = await findAccount(tx, profile.provider, profile.subject);
      let row = linked ? await findUserById(tx, linked.userId) : undefined;
      if (!row) {
        const existing = await findUserByEmail(tx, email);
        if (existing && !profile.emailVerified) {
          throw new AppError('forbidden:auth', 'Your identity provider did not verify this e-mail address');
        }
        if (existing) row = existing;
        else {
          const created = await this.insertWithInitialRoles(ctx, tx, {
            email,
            name: profile.name ?? '',
            passwordHash: null,
            avatarUrl: profile.avatarUrl ?? null,
          });
          row = created.user;
          await this.deps.audit.record(
            { ...txCtx, actor: userActor({ user: row, roles: created.roles, capabilities: [] }) },
            {
              action: 'auth.signup',
              targetType: 'user',
              targetId: row.id,
              details: { provider: profile.provider, roles: created.roles },
            },
          );
        }
      }
      const account = linked ?? (await insertAccount(tx, { ...profile, userId: row.id, email }));
      await touchAccount(tx, account.id, email);
      if (profile.roles) await this.remapSsoRoles(txCtx, row, profile.provider, profile.roles);
      return row;
    });
    if (user.status !== 'active') throw new AppError('forbidden:auth', 'This account is disabled');
    return user;
  }

  /**
   * The identity provider's roles replace the user's `sso` roles — only when they differ (so an unchanged
   * sign-in writes nothing and clears no cache), and audited with before → after.
   */
  private async remapSsoRoles(ctx: Ctx, user: UserRow, provider: string, mapped: string[]): Promise<void> {
    const roleRows = await this.deps.roles.resolveNames(ctx, mapped);
    const before = (await rolesOfUsers(ctx.db, [user.id]))
      .filter((r) => r.source === 'sso')
      .map((r) => r.name)
      .sort();
    const after = roleRows.map((r) => r.name).sort();
    if (before.join('\n') === after.join('\n')) return;
    await replaceUserRoles(
      ctx.db,
      user.id,
      roleRows.map((r) => r.id),
      'sso',
    );
    await this.deps.audit.record(withActor(ctx, systemActor()), {
      action: 'users.sso_roles',
      targetType: 'user',
      targetId: user.id,
      // Read on the audit page as "roles: before → after", like an administrator's role change.
      details: { provider, roles: { from: before, to: after } },
    });
  }

  // ——— changing ———

  async update(ctx: Ctx, id: string, input: z.input<typeof UpdateUserInput>): Promise<UserView> {
    assertCan(ctx.actor, 'admin:users');
    const data = parseInput(UpdateUserInput, input, 'users');
    const before = await loadUser(ctx.db, id);
    if (ctx.actor.id === id && data.status === 'disabled') {
      throw new AppError('conflict:users', 'You cannot disable your own account', {
        details: { fields: { status: 'cannot disable yourself' } },
      });
    }
    if (
      ctx.actor.id === id &&
      data.roles &&
      !data.roles.includes(ADMIN_ROLE) &&
      ctx.actor.roles.includes(ADMIN_ROLE)
    ) {
      throw new AppError('conflict:users', 'You cannot remove your own administrator role', {
        details: { fields: { roles: 'cannot remove administrator from yourself' } },
      });
    }
    const roleRows = data.roles ? await this.deps.roles.resolveNames(ctx, data.roles) : null;
    const rolesBefore = roleRows ? (await rolesOfUsers(ctx.db, [id])).map((r) => r.name).sort() : [];
    await ctx.db.transaction(async (tx) => {
      const txCtx = { ...ctx, db: tx };
      if (data.name !== undefined || data.status !== undefined) {
        await updateUser(tx, id, { name: data.name, status: data.status });
      }
      // Disabling ends every session at once (the session lookup also refuses disabled users).
      const ended = data.status === 'disabled' ? await deleteSessionsOfUser(tx, id) : 0;
      // A status change (disable, re-enable) also revokes the person's API keys: a re-enabled account
      // starts without the keys it had, whoever held them meanwhile (issue 9.10).
      const statusChanged = data.status !== undefined && data.status !== before.status;
      const keysRevoked = statusChanged ? await revokeKeysOfUser(tx, id, new Date()) : 0;
      if (roleRows) {
        await replaceUserRoles(
          tx,
          id,
          roleRows.map((r) => r.id),
          'manual',
        );
      }
      const changes: Record<string, unknown> = {};
      if (data.name !== undefined && data.name !== before.name)
        changes.name = { from: before.name, to: data.name };
      if (data.status !== undefined && data.status !== before.status)
        changes.status = {
          from: before.status,
          to: data.status,
          sessionsEnded: ended,
          apiKeysRevoked: keysRevoked,
        };
      if (roleRows) changes.roles = { from: rolesBefore, to: roleRows.map((r) => r.name).sort() };
      const action =
        data.status && data.status !== before.status
          ? data.status === 'disabled'
            ? 'users.disable'
            : 'users.enable'
          : 'users.update';
      await this.deps.audit.record(txCtx, { action, targetType: 'user', targetId: id, details: changes });
    });
    return viewOfUser(ctx.db, await loadUser(ctx.db, id));
  }

  setStatus(ctx: Ctx, id: string, status: UserStatus): Promise<UserView> {
    return this.update(ctx, id, { status });
  }

  setRoles(ctx: Ctx, id: string, roles: string[]): Promise<UserView> {
    return this.update(ctx, id, { roles });
  }

  /** The signed-in user's own name and avatar. */
  async updateProfile(ctx: Ctx, input: z.input<typeof UpdateProfileInput>): Promise<UserView> {
    assertSignedIn(ctx.actor);
    const data = parseInput(UpdateProfileInput, input, 'users');
    const before = await loadUser(ctx.db, ctx.actor.id);
    const row = await updateUser(ctx.db, ctx.actor.id, data);
    if (!row) throw new AppError('not_found:users', 'No such user');
    // Audited like an admin's edit (before → after), which also drops the cached views carrying the name.
    await this.deps.audit.record(ctx, {
      action: 'users.profile_update',
      targetType: 'user',
      targetId: row.id,
      details: fieldChanges(before, row, ['name', 'avatarUrl']),
    });
    return viewOfUser(ctx.db, row);
  }

  // ——— helpers ———

  async defaultRole(ctx: Ctx): Promise<string> {
    return ((await this.deps.settings.get(ctx, 'auth.default_role')) || 'staff').trim().toLowerCase();
  }
}

/**
 * Internal lookups for services that have already authorised their caller (sign-in, OAuth grants): not
 * service methods, so no route or loader reaches a user row without a permission check.
 */
export async function loadUser(db: Queryable, id: string): Promise<UserRow> {
  const user = isUuid(id) ? await findUserById(db, id) : undefined;
  if (!user) throw new AppError('not_found:users', 'No such user');
  return user;
}

export async function viewOfUser(db: Queryable, user: UserRow): Promise<UserView> {
  return toUserView(user, await rolesOfUsers(db, [user.id]));
}
