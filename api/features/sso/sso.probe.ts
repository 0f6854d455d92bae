/**
 * The admin "test" button: can we reach the IdP's discovery document and its signing keys, and do they
 * fit our configuration? Each step reports a sentence an administrator can act on; nothing throws.
 */
import { type DiscoveryCache, type DiscoveryDocument, fetchJson, OidcError } from './oidc/discovery';
import { ALLOWED_ALGORITHMS } from './oidc/id-token';
import { discoveryBase, issuerAccepted, type SsoProviderConfig } from './oidc/provider-config';

export interface ProbeStep {
  step: 'configuration' | 'discovery' | 'jwks';
  ok: boolean;
  message: string;
}

export interface ProviderTestReport {
  ok: boolean;
  slug: string;
  issuer: string | null;
  steps: ProbeStep[];
}

const describe = (err: unknown) =>
  err instanceof OidcError ? err.message : err instanceof Error ? err.message : String(err);

export async function testProvider(
  config: SsoProviderConfig,
  cache: DiscoveryCache,
): Promise<ProviderTestReport> {
  const steps: ProbeStep[] = [];
  const report = (issuer: string | null): ProviderTestReport => ({
    ok: steps.every((s) => s.ok),
    slug: config.slug,
    issuer,
    steps,
  });

  let base: string;
  try {
    base = discoveryBase(config);
  } catch (err) {
    steps.push({ step: 'configuration', ok: false, message: describe(err) });
    return report(null);
  }

  let doc: DiscoveryDocument;
  try {
    doc = await cache.get(base, {
      fresh: true,
      issuerAccepted: (iss) => issuerAccepted(config.type, base, iss),
    });
  } catch (err) {
    steps.push({ step: 'discovery', ok: false, message: describe(err) });
    return report(null);
  }
  const warnings: string[] = [];
  if (doc.code_challenge_methods_supported && !doc.code_challenge_methods_supported.includes('S256'))
    warnings.push('it does not advertise PKCE S256');
  if (
    config.type === 'cognito' &&
    config.domain &&
    new URL(doc.authorization_endpoint).host !== config.domain
  )
    warnings.push(
      `its sign-in page is on ${new URL(doc.authorization_endpoint).host}, not the configured domain ${config.domain}`,
    );
  const algs = doc.id_token_signing_alg_values_supported;
  if (algs && !algs.some((a) => ALLOWED_ALGORITHMS.includes(a)))
    warnings.push(`it signs ID tokens only with ${algs.join(', ')}, which we do not accept`);
  steps.push({
    step: 'discovery',
    ok: warnings.length === 0,
    message: warnings.length
      ? `Discovery document found, but ${warnings.join('; ')}`
      : `Discovery document found for issuer ${doc.issuer}`,
  });

  try {
    const jwks = (await fetchJson(doc.jwks_uri, 'signing keys (JWKS)')) as { keys?: unknown };
    const keys = Array.isArray(jwks.keys) ? (jwks.keys as { kty?: string; use?: string }[]) : [];
    const signing = keys.filter(
      (k) => (k.kty === 'RSA' || k.kty === 'EC' || k.kty === 'OKP') && k.use !== 'enc',
    );
    steps.push(
      signing.length
        ? { step: 'jwks', ok: true, message: `${signing.length} signing key(s) published at ${doc.jwks_uri}` }
        : { step: 'jwks', ok: false, message: `No usable signing keys at ${doc.jwks_uri}` },
    );
  } catch (err) {
    steps.push({ step: 'jwks', ok: false, message: describe(err) });
  }
  return report(doc.issuer);
}
