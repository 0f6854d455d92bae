/**
 * Seeded roles and capabilities. Re-runs insert only what is missing: a default role ↔ capability link is
 * added only when the role or the capability is new, so an admin who removed a capability from a seeded
 * role does not see it come back at the next start, while a capability added by a later release still
 * reaches the roles that should have it.
 */
import { inArray } from 'drizzle-orm';
import type { Database } from '../client';
import { capabilities, roleCapabilities, roles } from '../schema/index';

export const SYSTEM_ROLES = {
  administrator: 'Full access, including the admin console',
  staff: 'Teachers and staff: every feature except administration',
  student: 'Students: chat and published assistants only',
} as const;
export type SystemRole = keyof typeof SYSTEM_ROLES;

export const CAPABILITIES: Record<string, string> = {
  'chat:use': 'Use chat',
  'compare:use': 'Compare models side by side',
  'assistants:use': 'Run published assistants',
  'assistants:build': 'Build and edit assistants',
  'knowledge:use': 'Search and use knowledge repositories',
  'knowledge:manage': 'Create and manage knowledge repositories',
  'decisions:read': 'Read the decision graph',
  'decisions:write': 'Capture decisions',
  'api:keys': 'Create personal API keys',
  'admin:users': 'Manage users, roles and sessions',
  'admin:models': 'Manage AI models and providers',
  'admin:settings': 'Change system and authentication settings',
  'admin:audit': 'Read and export the audit log',
};

/** Default capabilities per seeded role. */
export function defaultCapabilities(role: SystemRole): string[] {
  const all = Object.keys(CAPABILITIES);
  if (role === 'administrator') return all;
  if (role === 'staff') return all.filter((c) => !c.startsWith('admin:'));
  return ['chat:use', 'assistants:use'];
}

export async function seedIdentity(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    const newCaps = await tx
      .insert(capabilities)
      .values(Object.entries(CAPABILITIES).map(([name, description]) => ({ name, description })))
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
