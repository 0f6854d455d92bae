import { describe, expect, it } from 'vitest';
import { hasCapability, type NavItem, visibleNav } from './nav';

const items: NavItem[] = [
  { to: '/', label: 'Home' },
  { to: '/chat', label: 'Chat', capability: 'chat:use' },
  { to: '/admin/users', label: 'Users', capability: 'admin:users' },
];

describe('navigation gating', () => {
  it('shows capability-gated entries only to actors holding the capability', () => {
    expect(visibleNav([], items).map((i) => i.label)).toEqual(['Home']);
    expect(visibleNav(['chat:use'], items).map((i) => i.label)).toEqual(['Home', 'Chat']);
    expect(visibleNav(new Set(['admin:users']), items).map((i) => i.label)).toEqual(['Home', 'Users']);
  });

  it("treats '*' as every capability", () => {
    expect(visibleNav(['*'], items)).toHaveLength(3);
    expect(hasCapability(new Set(['*']), 'anything:at_all')).toBe(true);
    expect(hasCapability(['chat:use'], 'chat:manage')).toBe(false);
  });

  it('lists only pages that exist today by default', () => {
    expect(visibleNav(['*']).map((i) => i.to)).toEqual(['/', '/api/docs']);
  });
});
