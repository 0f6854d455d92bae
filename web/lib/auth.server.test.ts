import { describe, expect, it } from 'vitest';
import { anonymousActor, userActor } from '../../api/lib/ctx';
import {
  can,
  DEFAULT_LANDING,
  isPublicPath,
  pagePathOf,
  requireCapability,
  safeNext,
  signInUrl,
} from './auth.server';

describe('safeNext', () => {
  it.each([
    ['/chat', '/chat'],
    ['/chat?x=1#m', '/chat?x=1#m'],
    ['/', '/'],
    [null, DEFAULT_LANDING],
    ['', DEFAULT_LANDING],
    ['https://evil.example/', DEFAULT_LANDING],
    ['//evil.example/x', DEFAULT_LANDING],
    ['/\\evil.example', DEFAULT_LANDING],
    ['javascript:alert(1)', DEFAULT_LANDING],
    ['/auth/signin?next=/x', DEFAULT_LANDING],
    ['/.//evil.example/phish', DEFAULT_LANDING],
  ])('%s → %s', (input, expected) => {
    expect(safeNext(input)).toBe(expected);
  });
});

describe('page paths', () => {
  it('maps single-fetch data requests back to the page', () => {
    expect(pagePathOf(new Request('http://x/admin/users.data?_routes=root&q=a'))).toBe('/admin/users?q=a');
    expect(pagePathOf(new Request('http://x/_root.data'))).toBe('/');
    expect(signInUrl(new Request('http://x/chat/abc?x=1'))).toBe('/auth/signin?next=%2Fchat%2Fabc%3Fx%3D1');
  });

  it('knows the public pages', () => {
    for (const p of [
      '/',
      '/auth/signin',
      '/auth/callback/google',
      '/.well-known/openid-configuration',
      '/assets/a.js',
    ])
      expect(isPublicPath(p)).toBe(true);
    for (const p of ['/chat', '/admin/users', '/authx', '/profile']) expect(isPublicPath(p)).toBe(false);
  });
});

describe('capability checks', () => {
  const student = userActor({
    user: { id: 'u1', email: 's@x', name: 'S' },
    roles: ['student'],
    capabilities: ['chat:use'],
  });
  const admin = userActor({
    user: { id: 'u2', email: 'a@x', name: 'A' },
    roles: ['administrator'],
    capabilities: [],
  });
  const context = (actor: typeof student) => ({ ctx: { actor } }) as never;

  it('lets administrators pass and others only with the capability', () => {
    expect(can(admin, 'admin:users')).toBe(true);
    expect(can(student, 'chat:use')).toBe(true);
    expect(can(student, 'admin:users')).toBe(false);
    expect(can(anonymousActor, 'chat:use')).toBe(false);
  });

  it('answers 403 to a signed-in user without the capability and redirects anonymous visitors', () => {
    const req = new Request('http://x/admin/users');
    const thrown = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e as Response;
      }
      throw new Error('expected a throw');
    };
    expect(thrown(() => requireCapability(context(student), req, 'admin:users')).status).toBe(403);
    const redirect = thrown(() =>
      requireCapability(context(anonymousActor as typeof student), req, 'admin:users'),
    );
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/auth/signin?next=%2Fadmin%2Fusers');
    expect(requireCapability(context(admin), req, 'admin:users').id).toBe('u2');
  });
});
