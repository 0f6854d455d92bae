/** RFC 7636 §4.1 and §4.6: the verifier's shape, and S256 = BASE64URL(SHA256(ASCII(code_verifier))). */
import { createHash } from 'node:crypto';
import { safeEqual } from '../../lib/crypto';

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export function verifierMatches(verifier: string, challenge: string): boolean {
  if (!VERIFIER.test(verifier)) return false;
  return safeEqual(createHash('sha256').update(verifier, 'ascii').digest('base64url'), challenge);
}
