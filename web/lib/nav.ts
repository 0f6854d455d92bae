/**
 * The primary navigation as data. Features add an entry here; entries with a `capability` appear only for
 * actors that hold it (or '*'), using the same capability strings the services enforce.
 *   { to: '/chat', label: 'Chat', capability: 'chat:use' }
 */
export interface NavItem {
  to: string;
  label: string;
  /** Capability required to see the entry; omitted = everyone. */
  capability?: string;
  /** Shown when the actor holds any one of these (e.g. every admin:* capability for the admin console). */
  anyCapability?: readonly string[];
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

export function hasCapability(
  capabilities: readonly string[] | ReadonlySet<string>,
  capability: string,
): boolean {
  const has = (c: string) =>
    Array.isArray(capabilities) ? capabilities.includes(c) : (capabilities as ReadonlySet<string>).has(c);
  return has('*') || has(capability);
}

export function visibleNav(
  capabilities: readonly string[] | ReadonlySet<string>,
  items: readonly NavItem[] = NAV_ITEMS,
): NavItem[] {
  return items.filter(
    (item) =>
      (!item.capability || hasCapability(capabilities, item.capability)) &&
      (!item.anyCapability || item.anyCapability.some((c) => hasCapability(capabilities, c))),
  );
}
