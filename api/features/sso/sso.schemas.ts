/** Validation for SSO provider configuration: shared by the service (the write edge) and the REST contract. */
import { z } from 'zod';
import { LOOPBACK } from './oidc/discovery';
import { SSO_PROVIDER_TYPES } from './oidc/provider-config';

const Domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'must be a domain such as school.org',
  );
/** https, or http on a loopback host only (a developer's IdP; the test suite's fake one). */
const HttpsUrl = z
  .string()
  .trim()
  .max(500)
  .url({ error: 'must be a URL such as https://idp.example.org' })
  .refine((v) => {
    // zod runs refinements even after .url() failed: never let URL throw here.
    const url = URL.canParse(v) ? new URL(v) : null;
    return !url || url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  }, 'must use https (http only for localhost)');

export const SsoSlug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z][a-z0-9-]{1,39}$/,
    'must be 2–40 characters: lowercase letters, digits or -, starting with a letter',
  );

const Fields = {
  displayName: z.string().trim().min(1, 'is required').max(80, 'must be at most 80 characters'),
  clientId: z.string().trim().min(1, 'is required').max(500, 'must be at most 500 characters'),
  clientSecret: z.string().min(1, 'must not be empty').max(4000, 'must be at most 4,000 characters'),
  issuer: HttpsUrl.transform((v) => v.replace(/\/+$/, '')),
  /** Cognito hosted UI domain: a host name only, arctic adds https://. */
  domain: Domain.or(
    z
      .string()
      .trim()
      .regex(/^[a-z0-9.-]+:\d{1,5}$/i, 'must be a host name without https://'),
  ),
  tenant: z
    .string()
    .trim()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9.-]{0,99}$/,
      'must be a tenant id, a tenant domain, or organizations/common',
    ),
  allowedDomains: z.array(Domain).max(100, 'must list at most 100 domains'),
  groupClaim: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[\w:./-]+$/, 'must be a claim name such as groups or cognito:groups'),
  groupRoles: z.record(
    z.string().trim().min(1, 'group name must not be empty').max(300),
    z.string().trim().toLowerCase().min(1).max(40),
  ),
  enabled: z.boolean(),
};

export const CreateSsoProviderInput = z.object({
  slug: SsoSlug,
  type: z.enum(SSO_PROVIDER_TYPES, { error: `must be one of ${SSO_PROVIDER_TYPES.join(', ')}` }),
  displayName: Fields.displayName,
  clientId: Fields.clientId,
  clientSecret: Fields.clientSecret.nullish(),
  issuer: Fields.issuer.nullish(),
  domain: Fields.domain.nullish(),
  tenant: Fields.tenant.nullish(),
  allowedDomains: Fields.allowedDomains.default([]),
  groupClaim: Fields.groupClaim.nullish(),
  groupRoles: Fields.groupRoles.default({}),
  enabled: Fields.enabled.default(true),
});
export type CreateSsoProviderInput = z.input<typeof CreateSsoProviderInput>;

/** slug and type are fixed once created (linked accounts refer to the provider). clientSecret: omit = keep, null = clear. */
export const UpdateSsoProviderInput = z.object({
  displayName: Fields.displayName.optional(),
  clientId: Fields.clientId.optional(),
  clientSecret: Fields.clientSecret.nullish(),
  issuer: Fields.issuer.nullish(),
  domain: Fields.domain.nullish(),
  tenant: Fields.tenant.nullish(),
  allowedDomains: Fields.allowedDomains.optional(),
  groupClaim: Fields.groupClaim.nullish(),
  groupRoles: Fields.groupRoles.optional(),
  enabled: Fields.enabled.optional(),
});
export type UpdateSsoProviderInput = z.input<typeof UpdateSsoProviderInput>;

/** Per-type requirements, checked on the merged configuration; returns field → problem. */
export function missingForType(p: {
  type: string;
  issuer?: string | null;
  domain?: string | null;
  tenant?: string | null;
  hasSecret: boolean;
}): Record<string, string> {
  const missing: Record<string, string> = {};
  if ((p.type === 'oidc' || p.type === 'cognito') && !p.issuer)
    missing.issuer =
      p.type === 'cognito'
        ? 'is required: https://cognito-idp.<region>.amazonaws.com/<user pool id>'
        : 'is required for a generic OIDC provider';
  if (p.type === 'cognito' && !p.domain)
    missing.domain = 'is required: the hosted UI domain, without https://';
  if (p.type === 'entra' && !p.tenant) missing.tenant = 'is required: the directory (tenant) id or domain';
  if (p.type === 'google' && !p.hasSecret) missing.clientSecret = 'is required for Google';
  return missing;
}
