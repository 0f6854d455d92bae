/**
 * From verified ID-token claims to the facts we act on: a *verified* e-mail address and group names.
 *
 * E-mail verification per IdP:
 * - Google, Cognito (incl. Google federated through it) and generic OIDC publish `email_verified`; we
 *   require it to be true (Cognito sends the string "true" for some federated attributes).
 * - Microsoft Entra ID sends no `email_verified`, and its `email` claim is editable by users and guest
 *   tenants (the "nOAuth" attack), so it alone proves nothing. We accept, in order: `email_verified: true`;
 *   the optional claim `xms_edov: true` ("e-mail domain owner verified", enable it in the app registration);
 *   or, for a single-tenant configuration with allowed domains, the member's UPN (`upn`, else
 *   `preferred_username`) when its domain is one of them — a UPN suffix must be a domain the tenant has
 *   verified, and guests' UPNs (`…#EXT#@…`) never match.
 */
import type { JWTPayload } from 'jose';
import type { SsoProviderConfig } from './provider-config';

const MULTI_TENANT = new Set(['common', 'organizations', 'consumers']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const isTrue = (v: unknown) => v === true || v === 'true';

export const emailDomain = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

export function domainAllowed(email: string, allowed: string[]): boolean {
  return allowed.length === 0 || allowed.includes(emailDomain(email));
}

/** The verified, lower-cased e-mail address, or null when the IdP does not vouch for one. */
export function verifiedEmail(p: SsoProviderConfig, claims: JWTPayload): string | null {
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : null;
  if (email && EMAIL.test(email) && isTrue(claims.email_verified)) return email;
  if (p.type !== 'entra') return null;
  if (email && EMAIL.test(email) && isTrue(claims.xms_edov)) return email;
  const singleTenant = !!p.tenant && !MULTI_TENANT.has(p.tenant.toLowerCase());
  if (!singleTenant || p.allowedDomains.length === 0) return null;
  const upn = [claims.upn, claims.preferred_username].find((v): v is string => typeof v === 'string');
  const candidate = upn?.trim().toLowerCase();
  if (!candidate || !EMAIL.test(candidate) || candidate.includes('#ext#')) return null;
  return p.allowedDomains.includes(emailDomain(candidate)) ? candidate : null;
}

export function groupsFromClaims(claimName: string | null, claims: JWTPayload): string[] {
  if (!claimName) return [];
  const raw = claims[claimName];
  if (Array.isArray(raw)) return raw.filter((g): g is string => typeof g === 'string');
  if (typeof raw === 'string') return raw.split(/[,\s]+/).filter(Boolean);
  return [];
}

/** Role names for a user's groups under the provider's mapping, deduplicated. */
export function rolesForGroups(groups: string[], mapping: Record<string, string>): string[] {
  return [...new Set(groups.map((g) => mapping[g]).filter((r): r is string => !!r))];
}

export function displayName(claims: JWTPayload, email: string): string {
  const name = typeof claims.name === 'string' ? claims.name.trim() : '';
  if (name) return name.slice(0, 200);
  const given = [claims.given_name, claims.family_name].filter((v) => typeof v === 'string').join(' ');
  return given.trim() || email.slice(0, email.indexOf('@'));
}
