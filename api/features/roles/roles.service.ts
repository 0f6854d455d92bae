/**
 * Roles × capabilities and per-resource grants. Seeded roles keep their name and cannot be deleted; their
 * capabilities can be edited. Every change is audited.
 */

import { z } from 'zod';
import { assertCan, type GuardedResource } from '../../lib/authz';
import type { Capability } from '../../lib/capabilities';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import { parseInput } from '../../lib/validate';
import type { AuditService } from '../audit/audit.service';
import { fieldChanges, listChanges } from '../audit/changes';
import {
  type CapabilityRow,
  deleteRole,
  findRoleById,
  findRolesByName,
  grantsOfResource,
  insertRole,
  listCapabilities,
  listRolesWithCapabilities,
  type RoleWithCapabilities,
  replaceGrants,
  replaceRoleCapabilities,
  updateRole,
} from './roles.repo';

const RoleName = z
  .string({ error: 'is required' })
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z][a-z0-9_-]{1,39}$/,
    'must be 2–40 characters: letters, digits, - or _, starting with a letter',
  );
const Description = z.string().trim().max(500, 'must be at most 500 characters');
const CapabilityList = z.array(z.string().trim().min(1)).max(200);

export const CreateRoleInput = z.object({
  name: RoleName,
  description: Description.default(''),
  capabilities: CapabilityList.default([]),
});
export const UpdateRoleInput = z.object({
  name: RoleName.optional(),
  description: Description.optional(),
  capabilities: CapabilityList.optional(),
});
export const GrantsInput = z.object({
  roles: z.array(z.string().trim().min(1)).max(100).default([]),
  userIds: z
    .array(z.uuid({ error: 'must be a user id' }))
    .max(1000)
    .default([]),
});

export interface RoleView {
  id: string;
  name: string;
  description: string;
  isSystem: boolean;
  capabilities: string[];
  userCount: number;
}

const view = (r: RoleWithCapabilities): RoleView => ({
  id: r.id,
  name: r.name,
  description: r.description,
  isSystem: r.isSystem,
  capabilities: r.capabilities,
  userCount: r.userCount,
});

export class RolesService {
  constructor(private readonly deps: { audit: AuditService }) {}

  async list(ctx: Ctx): Promise<RoleView[]> {
    assertCan(ctx.actor, 'admin:users');
    return (await listRolesWithCapabilities(ctx.db)).map(view);
  }

  async listCapabilities(ctx: Ctx): Promise<CapabilityRow[]> {
    assertCan(ctx.actor, 'admin:users');
    return listCapabilities(ctx.db);
  }

  async create(ctx: Ctx, input: z.input<typeof CreateRoleInput>): Promise<RoleView> {
    assertCan(ctx.actor, 'admin:users');
    const data = parseInput(CreateRoleInput, input, 'roles');
    await this.assertKnownCapabilities(ctx, data.capabilities);
    return ctx.db.transaction(async (tx) => {
      const row = await insertRole(tx, { name: data.name, description: data.description, isSystem: false });
      if (!row) {
        throw new AppError('conflict:roles', `A role named ${data.name} already exists`, {
          details: { fields: { name: 'is already taken' } },
        });
      }
      await replaceRoleCapabilities(tx, row.id, data.capabilities);
      await this.deps.audit.record(
        { ...ctx, db: tx },
        { action: 'roles.create', targetType: 'role', targetId: row.id, details: { ...data } },
      );
      return { ...view({ ...row, capabilities: data.capabilities, userCount: 0 }) };
    });
  }

  async update(ctx: Ctx, id: string, input: z.input<typeof UpdateRoleInput>): Promise<RoleView> {
    assertCan(ctx.actor, 'admin:users');
    const data = parseInput(UpdateRoleInput, input, 'roles');
    const role = await this.require(ctx, id);
    if (role.isSystem && data.name !== undefined && data.name !== role.name) {
      throw new AppError('forbidden:roles', 'Built-in roles cannot be renamed', {
        details: { fields: { name: 'cannot change for a built-in role' } },
      });
    }
    if (data.capabilities) await this.assertKnownCapabilities(ctx, data.capabilities);
    const before = (await listRolesWithCapabilities(ctx.db)).find((r) => r.id === id)!;
    await ctx.db.transaction(async (tx) => {
      if (data.name !== undefined || data.description !== undefined) {
        if (data.name && data.name !== role.name && (await findRolesByName(tx, [data.name])).length) {
          throw new AppError('conflict:roles', `A role named ${data.name} already exists`, {
            details: { fields: { name: 'is already taken' } },
          });
        }
        await updateRole(tx, id, { name: data.name, description: data.description });
      }
      if (data.capabilities) await replaceRoleCapabilities(tx, id, [...new Set(data.capabilities)]);
      // The role's name (for the log line), then what changed: fields before → after, capabilities ±.
      const capabilities = data.capabilities && listChanges(before.capabilities, data.capabilities);
      await this.deps.audit.record(
        { ...ctx, db: tx },
        {
          action: 'roles.update',
          targetType: 'role',
          targetId: id,
          details: {
            role: role.name,
            ...fieldChanges(
              before,
              {
                ...before,
                name: data.name ?? before.name,
                description: data.description ?? before.description,
              },
              ['name', 'description'],
            ),
            ...(capabilities ? { capabilities } : {}),
          },
        },
      );
    });
    return (await this.list(ctx)).find((r) => r.id === id)!;
  }

  async remove(ctx: Ctx, id: string): Promise<void> {
    assertCan(ctx.actor, 'admin:users');
    const role = await this.require(ctx, id);
    if (role.isSystem) throw new AppError('forbidden:roles', 'Built-in roles cannot be deleted');
    await deleteRole(ctx.db, id);
    await this.deps.audit.record(ctx, {
      action: 'roles.delete',
      targetType: 'role',
      targetId: id,
      details: { name: role.name },
    });
  }

  /** Role rows for names, failing with a field error naming the unknown ones. */
  async resolveNames(ctx: Ctx, names: string[], field = 'roles'): Promise<{ id: string; name: string }[]> {
    const unique = [...new Set(names.map((n) => n.trim().toLowerCase()))];
    const rows = await findRolesByName(ctx.db, unique);
    const missing = unique.filter((n) => !rows.some((r) => r.name === n));
    if (missing.length) {
      throw new AppError('validation:roles', `Unknown role: ${missing.join(', ')}`, {
        details: { fields: { [field]: `unknown role ${missing.join(', ')}` } },
      });
    }
    return rows;
  }

  /** The grants guarding a resource, for assertCan. No permission check: callers check the capability. */
  async guard(ctx: Ctx, type: string, id: string): Promise<GuardedResource> {
    const grants = await grantsOfResource(ctx.db, type, id);
    return { type, id, grants: grants.map((g) => ({ roleName: g.roleName, userId: g.userId })) };
  }

  /** Loads the resource's grants and asserts the actor may use it with `capability`. */
  async assertCanAccess(ctx: Ctx, capability: Capability, type: string, id: string): Promise<void> {
    assertCan(ctx.actor, capability); // fail fast (and 401 for anonymous) before a query
    assertCan(ctx.actor, capability, await this.guard(ctx, type, id));
  }

  async listGrants(ctx: Ctx, type: string, id: string): Promise<{ roles: string[]; userIds: string[] }> {
    const grants = await grantsOfResource(ctx.db, type, id);
    return {
      roles: grants.flatMap((g) => (g.roleName ? [g.roleName] : [])),
      userIds: grants.flatMap((g) => (g.userId ? [g.userId] : [])),
    };
  }

  /**
   * Replaces who may use a resource. The caller decides which capability manages that resource type
   * (e.g. admin:models for models) and passes it as `manageCapability`.
   */
  async setGrants(
    ctx: Ctx,
    input: { type: string; id: string; manageCapability: Capability; grantees: z.input<typeof GrantsInput> },
  ): Promise<{ roles: string[]; userIds: string[] }> {
    assertCan(ctx.actor, input.manageCapability);
    const data = parseInput(GrantsInput, input.grantees, 'roles');
    const roleRows = await this.resolveNames(ctx, data.roles);
    const before = await this.listGrants(ctx, input.type, input.id);
    await ctx.db.transaction(async (tx) => {
      await replaceGrants(tx, input.type, input.id, {
        roleIds: roleRows.map((r) => r.id),
        userIds: [...new Set(data.userIds)],
      });
      await this.deps.audit.record(
        { ...ctx, db: tx },
        {
          action: 'grants.update',
          targetType: input.type,
          targetId: input.id,
          // Who was added and removed (issue 15.11), like a role's capabilities.
          details: {
            roles:
              listChanges(
                before.roles,
                roleRows.map((r) => r.name),
              ) ?? undefined,
            userIds: listChanges(before.userIds, [...new Set(data.userIds)]) ?? undefined,
          },
        },
      );
    });
    return this.listGrants(ctx, input.type, input.id);
  }

  private async require(ctx: Ctx, id: string) {
    const role = z.uuid().safeParse(id).success ? await findRoleById(ctx.db, id) : undefined;
    if (!role) throw new AppError('not_found:roles', 'No such role');
    return role;
  }

  private async assertKnownCapabilities(ctx: Ctx, caps: string[]): Promise<void> {
    const known = new Set((await listCapabilities(ctx.db)).map((c) => c.name));
    const unknown = caps.filter((c) => !known.has(c));
    if (unknown.length) {
      throw new AppError('validation:roles', `Unknown capability: ${unknown.join(', ')}`, {
        details: { fields: { capabilities: `unknown capability ${unknown.join(', ')}` } },
      });
    }
  }
}
