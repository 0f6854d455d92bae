/**
 * Access tokens (RFC 9068 JWT profile: `typ: at+jwt`, iss, sub, aud, client_id, scope, jti, iat, exp) and
 * ID tokens (OIDC Core §2, §3.1.3.6: RS256, at_hash, nonce, auth_time), signed with jose.
 * Access tokens also carry `gid`, the grant (token family) they belong to, so revoking the grant stops them.
 */
import { createHash, randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { InvalidToken } from './oauth.errors';
import { SIGNING_ALG, type SigningKeys } from './signing-keys';

export const ACCESS_TOKEN_TTL_S = 15 * 60;
export const ID_TOKEN_TTL_S = 15 * 60;
export const ACCESS_TOKEN_TYP = 'at+jwt';

export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  client_id: string;
  scope: string;
  jti: string;
  iat: number;
  exp: number;
  /** The grant (token family). */
  gid: string;
}

/** Cheap shape check (three base64url parts, a JSON header) so the auth middleware can route the token. */
export const looksLikeJwt = (token: string): boolean =>
  token.startsWith('eyJ') && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

export async function signAccessToken(
  keys: SigningKeys,
  input: {
    issuer: string;
    subject: string;
    audience: string;
    clientId: string;
    scope: string;
    grantId: string;
  },
): Promise<{ token: string; expiresIn: number; jti: string }> {
  const { kid, key } = await keys.signer();
  const jti = randomUUID();
  const token = await new SignJWT({ client_id: input.clientId, scope: input.scope, gid: input.grantId })
    .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: ACCESS_TOKEN_TYP })
    .setIssuer(input.issuer)
    .setSubject(input.subject)
    .setAudience(input.audience)
    .setJti(jti)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_S}s`)
    .sign(key);
  return { token, expiresIn: ACCESS_TOKEN_TTL_S, jti };
}

/** OIDC Core §3.1.3.6: the left half of SHA-256 of the access token, base64url. */
export function atHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

export async function signIdToken(
  keys: SigningKeys,
  input: {
    issuer: string;
    subject: string;
    clientId: string;
    accessToken: string;
    authTime: Date | null;
    nonce: string | null;
    claims: Record<string, unknown>;
  },
): Promise<string> {
  const { kid, key } = await keys.signer();
  const payload: Record<string, unknown> = { ...input.claims, at_hash: atHash(input.accessToken) };
  if (input.authTime) payload.auth_time = Math.floor(input.authTime.getTime() / 1000);
  if (input.nonce) payload.nonce = input.nonce;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: 'JWT' })
    .setIssuer(input.issuer)
    .setSubject(input.subject)
    .setAudience(input.clientId)
    .setIssuedAt()
    .setExpirationTime(`${ID_TOKEN_TTL_S}s`)
    .sign(key);
}

/**
 * Verifies signature, `typ`, issuer, expiry and (when given) that `aud` is one of `audiences`.
 * Any failure is `invalid_token` with a reason a developer can act on.
 */
export async function verifyAccessToken(
  keys: SigningKeys,
  token: string,
  input: { issuer: string; audiences?: readonly string[] },
): Promise<AccessTokenClaims> {
  try {
    const { payload } = await jwtVerify(token, keys.verifyKey, {
      issuer: input.issuer,
      audience: input.audiences ? [...input.audiences] : undefined,
      typ: ACCESS_TOKEN_TYP,
      algorithms: [SIGNING_ALG],
      requiredClaims: ['sub', 'aud', 'jti', 'iat', 'exp', 'client_id'],
    });
    if (typeof payload.gid !== 'string' || typeof payload.client_id !== 'string')
      throw new InvalidToken('The access token is malformed');
    return payload as unknown as AccessTokenClaims;
  } catch (err) {
    if (err instanceof InvalidToken) throw err;
    if (err instanceof joseErrors.JWTExpired) throw new InvalidToken('The access token has expired');
    if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'aud')
      throw new InvalidToken('The access token is for another audience');
    throw new InvalidToken('The access token is invalid');
  }
}
