import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next';

const FALLBACK = '/fallback';
/** A browser following `Location: <value>` from our page stays on our origin. */
const staysHome = (value: string) =>
  value.startsWith('/') &&
  !value.startsWith('//') &&
  new URL(value, 'https://ai.district.example/x/y').origin === 'https://ai.district.example';

describe('safeNext', () => {
  it.each([
    ['/chat', '/chat'],
    ['/chat?x=1#m', '/chat?x=1#m'],
    ['/', '/'],
    ['/admin/users?q=a%20b', '/admin/users?q=a%20b'],
    ['/chat/../profile', '/profile'],
    ['/./', '/'],
    ['/caf\u00e9', '/caf%C3%A9'],
  ])('keeps the same-origin path %j as %j', (input, expected) => {
    expect(safeNext(input, FALLBACK)).toBe(expected);
  });

  // The probe's bypass and its relatives: every one must give the fallback.
  const BYPASSES = [
    '//evil.example',
    '//evil.example/x',
    '///evil.example',
    '/\\evil.example',
    '\\/evil.example',
    '/\\/evil.example',
    '/.//evil.example',
    '/.//evil.example/phish',
    '/./\\evil.example',
    '/..//evil.example',
    '/../..//evil.example',
    '/%2e//evil.example',
    '/%2e%2e//evil.example',
    '/%2f%2fevil.example',
    '/%2F%2Fevil.example',
    '/%5cevil.example',
    '/%5C%5Cevil.example',
    '/%2f%5cevil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r/evil.example',
    '/ /evil.example'.replace(' ', '\u000b'),
    '/%09/evil.example',
    '/%0d%0a/evil.example',
    '/\u2215\u2215evil.example',
    '/\uFF0F\uFF0Fevil.example',
    '/\uFF3C\uFF3Cevil.example',
    '/\u200b/evil.example',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' /chat',
    'https://evil.example/',
    'http:evil.example',
    'http:/evil.example',
    '//user@evil.example',
    'data:text/html,hi',
    'evil.example',
    '',
    null,
    undefined,
    `/${'x'.repeat(2000)}`,
    '/auth/signin?next=/x',
    '/auth/signout',
    '/auth/signup/',
  ];

  it.each(BYPASSES.map((b) => [b]))('refuses %j', (input) => {
    expect(safeNext(input, FALLBACK)).toBe(FALLBACK);
  });

  it('never returns anything that leaves the origin, whatever it is given', () => {
    const parts = [
      '/',
      '\\',
      '.',
      '..',
      '%2f',
      '%5c',
      '%2e',
      '\t',
      'evil.example',
      '@',
      ':',
      '?',
      '#',
      '%',
      'a',
    ];
    let seed = 7;
    const pick = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return parts[seed % parts.length]!;
    };
    for (let i = 0; i < 5000; i++) {
      const input = `/${Array.from({ length: 1 + (i % 7) }, pick).join('')}`;
      const out = safeNext(input, FALLBACK);
      expect(out === FALLBACK || staysHome(out), `${JSON.stringify(input)} → ${out}`).toBe(true);
    }
  });
});
