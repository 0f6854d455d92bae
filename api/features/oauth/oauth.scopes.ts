/**
 * What an OAuth client may ask for: the OpenID Connect scopes plus the API scopes of api/lib/scopes.ts
 * (which the access token carries and which narrow to the person's capabilities on every request).
 */
import { isScope, SCOPE_DESCRIPTIONS, SCOPES, type Scope } from '../../lib/scopes';

export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;
export type OidcScope = (typeof OIDC_SCOPES)[number];

export const OAUTH_SCOPES: readonly string[] = [...OIDC_SCOPES, ...SCOPES];

/** Dynamically registered clients (RFC 7591) may hold only these. */
export const DYNAMIC_CLIENT_SCOPES: readonly string[] = [
  ...OIDC_SCOPES,
  ...SCOPES.filter((s) => s.startsWith('mcp:')),
];

/** Scopes the MCP server's protected-resource metadata names (RFC 9728 `scopes_supported`). */
export const MCP_SCOPES: readonly Scope[] = SCOPES.filter((s) => s.startsWith('mcp:'));

export const isOAuthScope = (s: string): boolean =>
  (OIDC_SCOPES as readonly string[]).includes(s) || isScope(s);

const OIDC_WORDS: Record<OidcScope, string> = {
  openid: 'Know who you are (your account id)',
  profile: 'See your name',
  email: 'See your e-mail address',
  offline_access: 'Stay connected when you are not using it (until you disconnect it)',
};

/** The consent page's wording for one scope. */
export function scopeInWords(scope: string): string {
  if ((OIDC_SCOPES as readonly string[]).includes(scope)) return OIDC_WORDS[scope as OidcScope];
  if (isScope(scope)) return SCOPE_DESCRIPTIONS[scope];
  return scope;
}

/** `"a b  a c"` → `['a', 'b', 'c']` (RFC 6749 §3.3: space-delimited, order irrelevant). */
export function parseScopeParam(value: string | null | undefined): string[] {
  return [...new Set((value ?? '').split(' ').filter(Boolean))].sort();
}

export const formatScopes = (scopes: readonly string[]): string => [...scopes].sort().join(' ');
