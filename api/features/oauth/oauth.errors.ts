/**
 * One error class per OAuth error (RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1, RFC 7591 §3.2.2, RFC 8707 §2,
 * OIDC Core §3.1.2.6), in the manner of node-oidc-provider's lib/helpers/errors.js. Services throw them;
 * the OAuth endpoints render `{ error, error_description }` with the class's status, and the authorization
 * endpoint sends them to a registered redirect URI instead when it has one.
 */
export class OAuthError extends Error {
  readonly error: string = 'server_error';
  readonly status: number = 400;

  constructor(readonly description: string) {
    super(description);
    this.name = 'OAuthError';
  }

  toJSON(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}

export class InvalidRequest extends OAuthError {
  override readonly error = 'invalid_request';
}
export class InvalidClient extends OAuthError {
  override readonly error = 'invalid_client';
  override readonly status = 401;
}
export class InvalidGrant extends OAuthError {
  override readonly error = 'invalid_grant';
}
export class UnauthorizedClient extends OAuthError {
  override readonly error = 'unauthorized_client';
}
export class UnsupportedGrantType extends OAuthError {
  override readonly error = 'unsupported_grant_type';
}
export class UnsupportedResponseType extends OAuthError {
  override readonly error = 'unsupported_response_type';
}
export class InvalidScope extends OAuthError {
  override readonly error = 'invalid_scope';
}
export class InvalidTarget extends OAuthError {
  override readonly error = 'invalid_target';
}
export class AccessDenied extends OAuthError {
  override readonly error = 'access_denied';
  override readonly status = 403;
}
export class LoginRequired extends OAuthError {
  override readonly error = 'login_required';
}
export class ConsentRequired extends OAuthError {
  override readonly error = 'consent_required';
}
/** RFC 6750 §3.1: a missing, expired, revoked or malformed access token. */
export class InvalidToken extends OAuthError {
  override readonly error = 'invalid_token';
  override readonly status = 401;
}
/** RFC 6750 §3.1: the token lacks what the request needs. */
export class InsufficientScope extends OAuthError {
  override readonly error = 'insufficient_scope';
  override readonly status = 403;
}
export class InvalidRedirectUri extends OAuthError {
  override readonly error = 'invalid_redirect_uri';
}
export class InvalidClientMetadata extends OAuthError {
  override readonly error = 'invalid_client_metadata';
}
export class ServerError extends OAuthError {
  override readonly error = 'server_error';
  override readonly status = 500;
}

/** RFC 7591 has no code for "registration closed": answered 403 `access_denied`. */
export class RegistrationClosed extends OAuthError {
  override readonly error = 'access_denied';
  override readonly status = 403;
}

export const isOAuthError = (err: unknown): err is OAuthError => err instanceof OAuthError;
