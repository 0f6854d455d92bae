import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { effectiveCapabilities } from '../../api/lib/authz';
import { CAPABILITIES } from '../../api/lib/capabilities';
import { type Actor, userActor } from '../../api/lib/ctx';
import { NAV_ITEMS, type NavItem, visibleNav } from './nav';

const items: NavItem[] = [
  { to: '/', label: 'Home' },
  { to: '/chat', label: 'Chat', capability: 'chat:use' },
  { to: '/admin/users', label: 'Users', capability: 'admin:users' },
];

/** Whether a Remix flat-routes file serves `pathname` (ignoring `_index` and optional `($param)` segments). */
function routeExists(pathname: string): boolean {
  const want = pathname === '/' ? '' : pathname.slice(1).replaceAll('/', '.');
  return readdirSync(path.join(import.meta.dirname, '..', 'routes')).some((entry) => {
    const name = entry.replace(/\.(tsx|ts|jsx|js)$/, '');
    // A trailing underscore (`profile_.api-keys`) opts out of layout nesting but not out of the URL.
    const segments = name
      .split('.')
      .filter((seg) => seg !== '_index' && !/^\(.*\)$/.test(seg))
      .map((seg) => seg.replace(/_$/, ''));
    return segments.join('.') === want;
  });
}

const person = (roles: string[], capabilities: string[]) =>
  userActor({ user: { id: crypto.randomUUID(), email: 'p@example.org', name: 'P' }, roles, capabilities });

describe('navigation gating', () => {
  it('shows capability-gated entries only to actors holding the capability', () => {
    expect(visibleNav([], items).map((i) => i.label)).toEqual(['Home']);
    expect(visibleNav(['chat:use'], items).map((i) => i.label)).toEqual(['Home', 'Chat']);
    expect(visibleNav(['admin:users'], items).map((i) => i.label)).toEqual(['Home', 'Users']);
  });

  it("follows the services' rule: an administrator whose role lost a capability still sees its page", () => {
    const admin: Actor = { ...person(['administrator'], []) };
    expect(visibleNav(effectiveCapabilities(admin), items)).toHaveLength(3);
    expect(effectiveCapabilities(admin)).toEqual(CAPABILITIES);
    expect(visibleNav(effectiveCapabilities(person(['staff'], ['chat:use'])), items)).toHaveLength(2);
    expect(effectiveCapabilities(person(['x'], ['*']))).toEqual(CAPABILITIES);
  });

  it('links only to pages that exist', () => {
    for (const item of visibleNav(CAPABILITIES)) {
      if (item.document) expect(item.to, item.label).toMatch(/^\/api\//);
      else expect(routeExists(item.to), `${item.label} → ${item.to} has no route in web/routes`).toBe(true);
    }
  });

  it('says honestly where prompts go (the chosen provider), on the home page too', () => {
    const chat = NAV_ITEMS.find((i) => i.to === '/chat')!;
    expect(chat.description).toMatch(/provider of the model you pick/);
    const home = readFileSync(path.join(import.meta.dirname, '..', 'routes', '_index.tsx'), 'utf8');
    for (const text of [...NAV_ITEMS.map((i) => i.description ?? ''), home]) {
      expect(text).not.toMatch(/stay(s)? (on|with) (this server|you)/i);
    }
    expect(home).toMatch(/sent to the provider of the model you pick/);
  });
});
