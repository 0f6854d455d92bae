import { describe, expect, it } from 'vitest';
import { pageWindow } from '../components/ui/pagination';
import { readTheme, safeRedirectPath, themeCookie } from './theme';

describe('theme cookie', () => {
  it('reads a valid theme and falls back to system', () => {
    expect(readTheme('a=1; aistudio_theme=dark; b=2')).toBe('dark');
    expect(readTheme('aistudio_theme=purple')).toBe('system');
    expect(readTheme(null)).toBe('system');
  });

  it('writes a long-lived, HttpOnly, SameSite=Lax cookie, Secure when asked', () => {
    expect(themeCookie('light', false)).toBe(
      'aistudio_theme=light; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly',
    );
    expect(themeCookie('dark', true)).toMatch(/; Secure$/);
  });

  it('redirects only to same-origin paths', () => {
    expect(safeRedirectPath('/admin?x=1')).toBe('/admin?x=1');
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', '', null])
      expect(safeRedirectPath(bad)).toBe('/');
  });
});

describe('pagination window', () => {
  it('keeps first, last and neighbours, with gaps between', () => {
    expect(pageWindow(5, 12)).toEqual([1, null, 4, 5, 6, null, 12]);
    expect(pageWindow(1, 3)).toEqual([1, 2, 3]);
    expect(pageWindow(1, 1)).toEqual([1]);
  });
});
