import { describe, expect, it } from 'vitest';
import { CAPABILITIES } from '../../api/lib/capabilities';
import { visibleAdminSections } from './admin-sections';
import { NAV_ITEMS, visibleNav } from './nav';

const labels = (items: { label: string }[]) => items.map((i) => i.label);

describe('admin navigation gating', () => {
  it('shows the Admin entry to holders of any admin capability, and to nobody else', () => {
    expect(labels(visibleNav(['chat:use', 'compare:use'], NAV_ITEMS))).not.toContain('Admin');
    for (const cap of ['admin:users', 'admin:models', 'admin:settings', 'admin:audit']) {
      expect(labels(visibleNav([cap], NAV_ITEMS))).toContain('Admin');
    }
    expect(labels(visibleNav(CAPABILITIES, NAV_ITEMS))).toContain('Admin');
  });

  it('lists only the sections the capabilities open', () => {
    expect(labels(visibleAdminSections([]))).toEqual([]);
    expect(labels(visibleAdminSections(['admin:audit']))).toEqual(['Audit log']);
    expect(labels(visibleAdminSections(['admin:users']))).toEqual(['Users', 'Roles', 'API keys']);
    expect(labels(visibleAdminSections(['admin:models']))).toEqual(['Models', 'Budgets']);
    expect(labels(visibleAdminSections(['admin:settings']))).toEqual([
      'Budgets',
      'Sign-in',
      'OAuth clients',
      'Settings',
      'Knowledge',
    ]);
    expect(visibleAdminSections(CAPABILITIES)).toHaveLength(10);
  });
});
