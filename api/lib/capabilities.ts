/**
 * The capabilities a role can grant: the one list (seeded into the `capabilities` table, checked by `can()`,
 * shown by the admin console). A capability not in this list does not type-check:
 *   assertCan(ctx.actor, 'knowledge:manage')
 */
export const CAPABILITY_DESCRIPTIONS = {
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
} as const;

export type Capability = keyof typeof CAPABILITY_DESCRIPTIONS;

export const CAPABILITIES = Object.keys(CAPABILITY_DESCRIPTIONS) as Capability[];

/** The capabilities that open some part of the admin console. */
export const ADMIN_CAPABILITIES = CAPABILITIES.filter((c) => c.startsWith('admin:'));

/** Budgets are managed by whoever manages models or settings. */
export const BUDGET_CAPABILITIES = [
  'admin:models',
  'admin:settings',
] as const satisfies readonly Capability[];

export const isCapability = (value: string): value is Capability =>
  Object.hasOwn(CAPABILITY_DESCRIPTIONS, value);
