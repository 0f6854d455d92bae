/**
 * The colour theme lives in a cookie so the server renders <html data-theme> right on the first byte:
 * no flash of the wrong theme and no inline theme script to allow through the CSP.
 */
export const THEMES = ['light', 'dark', 'system'] as const;
export type Theme = (typeof THEMES)[number];

export const THEME_COOKIE = 'aistudio_theme';
const ONE_YEAR = 60 * 60 * 24 * 365;

export function isTheme(value: unknown): value is Theme {
  return typeof value === 'string' && (THEMES as readonly string[]).includes(value);
}

/** The theme from a Cookie header; 'system' when absent or unrecognised. */
export function readTheme(cookieHeader: string | null): Theme {
  for (const part of cookieHeader?.split(';') ?? []) {
    const [name, value] = part.trim().split('=');
    if (name === THEME_COOKIE && isTheme(value)) return value;
  }
  return 'system';
}

export function themeCookie(theme: Theme, secure: boolean): string {
  return `${THEME_COOKIE}=${theme}; Path=/; Max-Age=${ONE_YEAR}; SameSite=Lax; HttpOnly${secure ? '; Secure' : ''}`;
}

/** Only same-origin paths may be redirect targets (no `//host` or `https:` tricks). */
export function safeRedirectPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\'))
    return fallback;
  return value;
}
