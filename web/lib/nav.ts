/**
 * The primary navigation as data. Features add an entry here; entries with a `capability` appear only for
 * actors whose effective capabilities (api/lib/authz.ts `effectiveCapabilities`, computed by the root loader
 * with the services' own `can`, administrators expanded) include it.
 *   { to: '/chat', label: 'Chat', capability: 'chat:use' }
 */
import type { Capability } from '../../api/lib/capabilities';

export interface NavItem {
  to: string;
  label: string;
  /** Capability required to see the entry; omitted = everyone. */
  capability?: Capability;
  /** Shown when the actor holds any one of these (e.g. every admin:* capability for the admin console). */
  anyCapability?: readonly Capability[];
  /** Not a Remix route (e.g. /api/docs): a full page load instead of client navigation. */
  document?: boolean;
  /** One line shown where the entry is listed on the home page; omitted = not listed there. */
  description?: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { to: '/', label: 'Home' },
  {
    to: '/chat',
    label: 'Chat',
    capability: 'chat:use',
    description:
      'Talk with the AI models your district provides. Conversations are saved here; each message goes to the provider of the model you pick.',
  },
  {
    to: '/compare',
    label: 'Compare',
    capability: 'compare:use',
    description: 'Ask several models the same question side by side, with speed and cost for each.',
  },
  {
    to: '/knowledge',
    label: 'Knowledge',
    capability: 'knowledge:use',
    description: 'Search your district’s documents by meaning and by words, with the page each answer is on.',
  },
  {
    to: '/decisions',
    label: 'Decisions',
    capability: 'decisions:read',
    description:
      'The decision log: what was decided, why, by whom and who was consulted — searchable, with a graph.',
  },
  {
    to: '/admin',
    label: 'Admin',
    anyCapability: ['admin:users', 'admin:models', 'admin:settings', 'admin:audit'],
    description: 'Manage people, roles, models, budgets, sign-in and settings, and read the audit log.',
  },
  {
    to: '/profile/api-keys',
    label: 'API keys',
    capability: 'api:keys',
    description:
      'Keys that let scripts and other systems use the API as you, limited to the scopes you pick.',
  },
  {
    to: '/api/docs',
    label: 'API reference',
    document: true,
    description: 'Every REST endpoint with its request and response schema, and a console to try them.',
  },
];

/** Membership in an effective capability list (already expanded by `can` on the server). */
export const hasCapability = (effective: readonly string[], capability: Capability): boolean =>
  effective.includes(capability);

export function visibleNav(effective: readonly string[], items: readonly NavItem[] = NAV_ITEMS): NavItem[] {
  return items.filter(
    (item) =>
      (!item.capability || hasCapability(effective, item.capability)) &&
      (!item.anyCapability || item.anyCapability.some((c) => hasCapability(effective, c))),
  );
}
