/**
 * Seeded roles and capabilities. Re-runs insert only what is missing: a default role ↔ capability link is
 * added only when the role or the capability is new, so an admin who removed a capability from a seeded
 * role does not see it come back at the next start, while a capability added by a later release still
 * reaches the roles that should have it.
 */
import { inArray } from 'drizzle-orm';
import { CAPABILITIES, CAPABILITY_DESCRIPTIONS, type Capability } from '../../api/lib/capabilities';
import type { Database } from '../client';
import { capabilities, roleCapabilities, roles } from '../schema/index';

export const SYSTEM_ROLES = {
  administrator: 'Full access, including the admin console',
  staff: 'Teachers and staff: every feature except administration',
  student: 'Students: chat and published assistants only',
} as const;
export type SystemRole = keyof typeof SYSTEM_ROLES;

/** Default capabilities per seeded role. */
export function defaultCapabilities(role: SystemRole): Capability[] {
  if (role === 'administrator') return CAPABILITIES;
  if (role === 'staff') return CAPABILITIES.filter((c) => !c.startsWith('admin:'));
  return ['chat:use', 'assistants:use'];
}

export async function seedIdentity(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    const newCaps = await tx
      .insert(capabilities)
      .values(Object.entries(CAPABILITY_DESCRIPTIONS).map(([name, description]) => ({ name, description })))
      .onConflictDoNothing()
      .returning({ name: capabilities.name });
    const newRoles = await tx
      .insert(roles)
      .values(
        Object.entries(SYSTEM_ROLES).map(([name, description]) => ({ name, description, isSystem: true })),
      )
      .onConflictDoNothing()
      .returning({ id: roles.id, name: roles.name });
    const isNewCap = new Set(newCaps.map((c) => c.name));
    const isNewRole = new Set(newRoles.map((r) => r.name));
    if (isNewCap.size === 0 && isNewRole.size === 0) return;
    const seeded = await tx
      .select({ id: roles.id, name: roles.name })
      .from(roles)
      .where(inArray(roles.name, Object.keys(SYSTEM_ROLES)));
    const links = seeded.flatMap((role) =>
      defaultCapabilities(role.name as SystemRole)
        .filter((cap) => isNewRole.has(role.name) || isNewCap.has(cap))
        .map((capability) => ({ roleId: role.id, capability })),
    );
    if (links.length) await tx.insert(roleCapabilities).values(links).onConflictDoNothing();
  });
}
