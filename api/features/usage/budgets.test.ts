import { describe, expect, it } from 'vitest';
import { effectiveLimit, monthRange } from './budgets.service';

const role = (roleName: string, limitTokens: number | null, limitCostUsd: string | null = null) => ({
  scope: 'role' as const,
  roleName,
  limitTokens,
  limitCostUsd,
});

describe('effectiveLimit', () => {
  it('a per-user budget overrides the roles', () => {
    const rows = [
      role('staff', 10),
      { scope: 'user' as const, roleName: null, limitTokens: 5, limitCostUsd: '1' },
    ];
    expect(effectiveLimit(rows, ['staff'])).toEqual({ source: 'user', limitTokens: 5, limitCostUsd: '1' });
  });

  it('between roles the most generous applies; null means unlimited in that unit', () => {
    expect(
      effectiveLimit([role('staff', 10, '2.5'), role('student', 100, '1')], ['staff', 'student']),
    ).toEqual({
      source: 'role',
      limitTokens: 100,
      limitCostUsd: '2.5',
    });
    expect(
      effectiveLimit([role('staff', null, '2'), role('student', 100, '1')], ['staff', 'student']),
    ).toMatchObject({
      limitTokens: null,
      limitCostUsd: '2',
    });
  });

  it('a role without a budget means no limit', () => {
    expect(effectiveLimit([role('student', 100)], ['staff', 'student']).source).toBe('none');
    expect(effectiveLimit([], ['staff']).source).toBe('none');
  });
});

describe('monthRange', () => {
  it('is the calendar month in UTC, ending at the first instant of the next', () => {
    expect(monthRange(new Date('2026-12-31T23:59:59Z'))).toEqual({
      from: new Date('2026-12-01T00:00:00Z'),
      to: new Date('2027-01-01T00:00:00Z'),
    });
  });
});
