/** SSO provider types as the admin UI names and explains them (kept in step with the SSO service's list). */
import type { SsoProviderType } from '../../api/features/sso/oidc/provider-config';

export const SSO_TYPES = ['cognito', 'google', 'entra', 'oidc'] as const satisfies readonly SsoProviderType[];

export const SSO_TYPE_LABELS: Record<string, string> = {
  cognito: 'Amazon Cognito',
  google: 'Google',
  entra: 'Microsoft Entra ID',
  oidc: 'Other OpenID Connect',
} satisfies Record<SsoProviderType, string>;

/** Which optional fields each type uses. */
export const SSO_TYPE_FIELDS: Record<SsoProviderType, { issuer: boolean; domain: boolean; tenant: boolean }> =
  {
    cognito: { issuer: true, domain: true, tenant: false },
    google: { issuer: false, domain: false, tenant: false },
    entra: { issuer: false, domain: false, tenant: true },
    oidc: { issuer: true, domain: false, tenant: false },
  };

/** The group → role mapping as the form's text: one `group = role` per line. */
export function formatGroupRoles(map: Record<string, string>): string {
  return Object.entries(map)
    .map(([g, r]) => `${g} = ${r}`)
    .join('\n');
}
