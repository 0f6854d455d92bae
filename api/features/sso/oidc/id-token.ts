/**
 * ID token validation (OIDC Core §3.1.3.7) with jose against the IdP's published JWKS — arctic's
 * `decodeIdToken` only decodes. Checked: signature (asymmetric algorithms only, never `none` or HS*),
 * `iss` exactly, `aud` contains our client id (and `azp` when several audiences), `exp`/`iat`, and the
 * `nonce` we sent.
 */
import { createRemoteJWKSet, decodeJwt, errors, type JWTPayload, jwtVerify } from 'jose';
import { OidcError } from './discovery';
import { expectedIssuer } from './provider-config';

/** Asymmetric algorithms only: an HS256 token would be "signed" with our own client secret. */
export const ALLOWED_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];
const CLOCK_TOLERANCE_S = 60;

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/** jose caches keys per set and refetches on an unknown `kid`; keep one set per JWKS URI. */
export function remoteKeySet(jwksUri: string): ReturnType<typeof createRemoteJWKSet> {
  let set = keySets.get(jwksUri);
  if (!set) {
    set = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
    keySets.set(jwksUri, set);
  }
  return set;
}

export function forgetKeySet(jwksUri: string): void {
  keySets.delete(jwksUri);
}

export interface VerifyIdTokenInput {
  idToken: string;
  jwksUri: string;
  /** The discovery document's `issuer` (may be Entra's `{tenantid}` template). */
  issuer: string;
  clientId: string;
  nonce: string;
  algorithms?: string[];
}

export async function verifyIdToken(input: VerifyIdTokenInput): Promise<JWTPayload> {
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(input.idToken);
  } catch (err) {
    throw new OidcError('id_token_malformed', 'The ID token is not a valid JWT', { cause: err });
  }
  const issuer = expectedIssuer(input.issuer, unverified);
  if (!issuer) throw new OidcError('id_token_issuer', 'The ID token has no valid tenant id for its issuer');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(input.idToken, remoteKeySet(input.jwksUri), {
      issuer,
      audience: input.clientId,
      algorithms: input.algorithms ?? ALLOWED_ALGORITHMS,
      requiredClaims: ['sub', 'iat', 'exp'],
      clockTolerance: CLOCK_TOLERANCE_S,
    }));
  } catch (err) {
    throw describeJoseError(err);
  }
  // §3.1.3.7 (4)/(5): with several audiences the token must name us as the authorized party.
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== input.clientId)
    throw new OidcError('id_token_audience', 'The ID token was issued to another client (azp)');
  if (payload.nonce !== input.nonce)
    throw new OidcError('id_token_nonce', 'The ID token nonce does not match this sign-in attempt');
  return payload;
}

function describeJoseError(err: unknown): OidcError {
  if (err instanceof errors.JWTClaimValidationFailed) {
    const claim = err.claim;
    const reason =
      claim === 'iss' ? 'id_token_issuer' : claim === 'aud' ? 'id_token_audience' : `id_token_${claim}`;
    return new OidcError(reason, `The ID token's "${claim}" claim is not acceptable (${err.message})`, {
      cause: err,
    });
  }
  if (err instanceof errors.JWTExpired)
    return new OidcError('id_token_expired', 'The ID token has expired', { cause: err });
  if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey)
    return new OidcError('id_token_signature', 'The ID token signature is not from the identity provider', {
      cause: err,
    });
  if (err instanceof errors.JOSEAlgNotAllowed)
    return new OidcError('id_token_algorithm', 'The ID token uses a signing algorithm we do not accept', {
      cause: err,
    });
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid)
    return new OidcError('jwks_unavailable', "The identity provider's signing keys could not be loaded", {
      cause: err,
    });
  return new OidcError('id_token_invalid', 'The ID token could not be verified', { cause: err });
}
