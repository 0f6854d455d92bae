/**
 * The admin console's sections as data: where each lives and the capabilities that open it (any of them).
 * Used by the console's side navigation and its index redirect; the routes and services enforce the same.
 */
import type { Capability } from '../../api/lib/capabilities';
import { hasCapability } from './nav';

export interface AdminSection {
  to: string;
  label: string;
  description: string;
  anyOf: readonly Capability[];
}

export const ADMIN_SECTIONS: readonly AdminSection[] = [
  {
    to: '/admin/users',
    label: 'Users',
    description: 'Accounts, roles, sessions and password resets',
    anyOf: ['admin:users'],
  },
  {
    to: '/admin/roles',
    label: 'Roles',
    description: 'Roles and the capabilities each one grants',
    anyOf: ['admin:users'],
  },
  {
    to: '/admin/api-keys',
    label: 'API keys',
    description: 'Every API key, its recent requests, and revocation',
    anyOf: ['admin:users'],
  },
  {
    to: '/admin/models',
    label: 'Models',
    description: 'AI models, who may use them, and provider credentials',
    anyOf: ['admin:models'],
  },
  {
    to: '/admin/budgets',
    label: 'Budgets',
    description: 'Monthly usage limits per role and per person',
    anyOf: ['admin:models', 'admin:settings'],
  },
  {
    to: '/admin/auth',
    label: 'Sign-in',
    description: 'Sign-up policy and single sign-on providers',
    anyOf: ['admin:settings'],
  },
  {
    to: '/admin/oauth-clients',
    label: 'OAuth clients',
    description: 'Apps and AI agents that act for people, self-registration, secrets',
    anyOf: ['admin:settings'],
  },
  {
    to: '/admin/settings',
    label: 'Settings',
    description: 'General settings such as the product name',
    anyOf: ['admin:settings'],
  },
  {
    to: '/admin/knowledge',
    label: 'Knowledge',
    description: 'Items that failed to index, in every repository, with retry',
    anyOf: ['admin:settings'],
  },
  {
    to: '/admin/audit',
    label: 'Audit log',
    description: 'Who changed what, and when',
    anyOf: ['admin:audit'],
  },
];

export function visibleAdminSections(effective: readonly string[]): AdminSection[] {
  return ADMIN_SECTIONS.filter((s) => s.anyOf.some((c) => hasCapability(effective, c)));
}
