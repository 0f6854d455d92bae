/**
 * OpenID Connect Discovery 1.0 §4: fetch `<issuer>/.well-known/openid-configuration`, check that the
 * document names the same issuer byte for byte (§4.3), and cache it. Endpoints must be https, except on a
 * loopback host (a developer's IdP or the test suite's fake one).
 */
import { z } from 'zod';

export const DISCOVERY_TTL_MS = 60 * 60_000;
const FETCH_TIMEOUT_MS = 5_000;

const DiscoveryDocument = z.object({
  issuer: z.string(),
  authorization_endpoint: z.string(),
  token_endpoint: z.string(),
  jwks_uri: z.string(),
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
});
export type DiscoveryDocument = z.infer<typeof DiscoveryDocument>;

/** Raised for any problem reaching or trusting the IdP; its message is safe to show an administrator. */
export class OidcError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OidcError';
  }
}

export const LOOPBACK: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https everywhere except loopback, so a misconfigured production IdP is refused rather than trusted. */
export function assertSecureUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OidcError('bad_url', `${what} is not a valid URL: ${value}`);
  }
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp)
    throw new OidcError('insecure_url', `${what} must use https: ${value}`);
  return url;
}

export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

export async function fetchJson(url: string, what: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      redirect: 'error',
    });
  } catch (err) {
    throw new OidcError('unreachable', `Could not reach the ${what} at ${url}`, { cause: err });
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new OidcError('http_status', `The ${what} at ${url} answered HTTP ${res.status}`);
  }
  try {
    return await res.json();
  } catch (err) {
    throw new OidcError('not_json', `The ${what} at ${url} is not JSON`, { cause: err });
  }
}

interface CacheEntry {
  doc: DiscoveryDocument;
  expires: number;
}

export class DiscoveryCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(
    base: string,
    options: { fresh?: boolean; issuerAccepted?: IssuerCheck } = {},
  ): Promise<DiscoveryDocument> {
    const hit = this.entries.get(base);
    if (hit && !options.fresh && hit.expires > this.now()) return hit.doc;
    const doc = await loadDiscovery(base, options.issuerAccepted);
    this.entries.set(base, { doc, expires: this.now() + DISCOVERY_TTL_MS });
    return doc;
  }

  forget(issuer?: string): void {
    if (issuer) this.entries.delete(issuer);
    else this.entries.clear();
  }
}

/** Decides whether the `issuer` a discovery document names is the one we asked for. */
export type IssuerCheck = (documented: string) => boolean;

export async function loadDiscovery(
  base: string,
  issuerAccepted: IssuerCheck = (documented) => documented === base,
): Promise<DiscoveryDocument> {
  assertSecureUrl(base, 'The issuer');
  const raw = await fetchJson(discoveryUrl(base), 'discovery document');
  const parsed = DiscoveryDocument.safeParse(raw);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') || 'document';
    throw new OidcError('bad_discovery', `The discovery document lacks a valid "${field}"`);
  }
  const doc = parsed.data;
  if (!issuerAccepted(doc.issuer))
    throw new OidcError(
      'issuer_mismatch',
      `The discovery document names issuer "${doc.issuer}", not the configured "${base}" (they must match exactly)`,
    );
  assertSecureUrl(doc.authorization_endpoint, 'The authorization endpoint');
  assertSecureUrl(doc.token_endpoint, 'The token endpoint');
  assertSecureUrl(doc.jwks_uri, 'The JWKS URI');
  return doc;
}
