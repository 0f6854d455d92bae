/**
 * Why an SSO sign-in was refused. The callback redirects to `/auth/signin?error=<code>`; the sign-in page
 * shows `ssoErrorMessage(code)` (through `services.sso.describeError`), so no text from the URL is ever
 * rendered and nobody can put their own words on our sign-in page.
 */
export const SSO_ERROR_MESSAGES = {
  sso_unavailable: 'This sign-in option is not available. Choose another way to sign in.',
  sso_idp_unreachable: 'The identity provider could not be reached. Try again in a moment.',
  sso_denied: 'Sign-in was cancelled or refused at the identity provider.',
  sso_state: 'This sign-in attempt expired or was started in another browser. Please try again.',
  sso_token: 'The identity provider did not complete the sign-in. Please try again.',
  sso_invalid_token: 'The identity provider’s answer could not be verified, so you were not signed in.',
  sso_email_unverified: 'Your identity provider did not confirm a verified e-mail address for your account.',
  sso_domain: 'Accounts from your e-mail domain may not sign in here.',
  sso_account_disabled: 'This account is disabled. Contact your administrator.',
  sso_failed: 'Single sign-on failed. Please try again or contact your administrator.',
} as const;

export type SsoErrorCode = keyof typeof SSO_ERROR_MESSAGES;

export function ssoErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  return (SSO_ERROR_MESSAGES as Record<string, string>)[code] ?? null;
}

/** A refused sign-in: `code` goes to the user, `reason` (more precise, never secret) to the log and audit. */
export class SsoSignInError extends Error {
  constructor(
    readonly code: SsoErrorCode,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${reason}`, options);
    this.name = 'SsoSignInError';
  }
}
