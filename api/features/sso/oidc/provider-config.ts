/**
 * What the sign-in flow needs to know about one configured IdP, with the clear client secret (server-side
 * only), and the per-type rules: where its discovery document lives, which claim carries groups, and how
 * an `iss` claim is checked.
 */
import { isUuid } from '../../../lib/ids';

export const SSO_PROVIDER_TYPES = ['cognito', 'google', 'entra', 'oidc'] as const;
export type SsoProviderType = (typeof SSO_PROVIDER_TYPES)[number];

export interface SsoProviderConfig {
  id: string;
  slug: string;
  type: SsoProviderType;
  displayName: string;
  clientId: string;
  clientSecret: string | null;
  issuer: string | null;
  domain: string | null;
  tenant: string | null;
  allowedDomains: string[];
  groupClaim: string | null;
  groupRoles: Record<string, string>;
  enabled: boolean;
}

export const GOOGLE_ISSUER = 'https://accounts.google.com';
export const ENTRA_AUTHORITY = 'https://login.microsoftonline.com';
/** Entra's multi-tenant endpoints publish `iss` as a template filled from the token's `tid` claim. */
export const ENTRA_TENANT_TEMPLATE = '{tenantid}';

export const DEFAULT_GROUP_CLAIM: Record<SsoProviderType, string | null> = {
  cognito: 'cognito:groups',
  entra: 'groups',
  google: null,
  oidc: 'groups',
};

/** The URL whose `/.well-known/openid-configuration` describes this IdP. */
export function discoveryBase(p: Pick<SsoProviderConfig, 'type' | 'issuer' | 'tenant'>): string {
  switch (p.type) {
    case 'google':
      return GOOGLE_ISSUER;
    case 'entra':
      return `${ENTRA_AUTHORITY}/${encodeURIComponent(p.tenant ?? 'organizations')}/v2.0`;
    default:
      if (!p.issuer) throw new Error('issuer is required for this provider type');
      return p.issuer;
  }
}

/**
 * Entra answers discovery for a tenant *domain* (school.onmicrosoft.com) with its tenant *id* in `issuer`,
 * so for Entra we accept any issuer of Entra's v2.0 shape; every other type must match exactly.
 */
export function issuerAccepted(type: SsoProviderType, base: string, documented: string): boolean {
  if (type !== 'entra') return documented === base;
  return new RegExp(`^${ENTRA_AUTHORITY.replace(/[.]/g, '\\.')}/[^/]+/v2\\.0$`).test(documented);
}

/** The exact `iss` an ID token must carry, given the documented issuer and the token's own `tid`. */
export function expectedIssuer(documented: string, claims: Record<string, unknown>): string | null {
  if (!documented.includes(ENTRA_TENANT_TEMPLATE)) return documented;
  const tid = claims.tid;
  if (typeof tid !== 'string' || !isUuid(tid)) return null;
  return documented.replace(ENTRA_TENANT_TEMPLATE, tid);
}
