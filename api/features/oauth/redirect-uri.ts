/**
 * Redirect URIs: registered ones are checked when stored, presented ones must match a registered one
 * exactly (OAuth 2.1 §2.3.1) — except the port of a loopback IP literal, which native apps pick at run time
 * (RFC 8252 §7.3: http://127.0.0.1 and http://[::1]; `localhost` is matched exactly, as §8.3 advises).
 */

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'file:', 'vbscript:', 'blob:', 'about:']);

const parse = (value: string): URL | null => {
  try {
    return new URL(value);
  } catch {
    return null;
  }
};

const isLoopbackHttp = (u: URL) =>
  u.protocol === 'http:' && (LOOPBACK_HOSTS.has(u.hostname) || u.hostname === 'localhost');

/** Why a URI cannot be registered, or null when it can: https, http on loopback, or a private-use scheme. */
export function redirectUriProblem(value: string): string | null {
  const u = parse(value);
  if (!u) return `${value} is not an absolute URI`;
  if (u.hash || value.includes('#')) return `${value} must not have a fragment`;
  if (FORBIDDEN_SCHEMES.has(u.protocol)) return `${value} uses a forbidden scheme`;
  if (u.protocol === 'http:' && !isLoopbackHttp(u))
    return `${value} must use https (plain http only on 127.0.0.1, [::1] or localhost)`;
  if (u.username || u.password) return `${value} must not carry credentials`;
  // Private-use schemes (RFC 8252 §7.1) are reverse domain names such as com.example.app:/callback.
  if (
    u.protocol !== 'http:' &&
    u.protocol !== 'https:' &&
    !u.protocol.includes('.') &&
    !/^[a-z][a-z0-9+-]*:$/.test(u.protocol)
  )
    return `${value} uses an unusable scheme`;
  return null;
}

/** Whether `presented` is one of `registered` (exactly, or a loopback IP with another port). */
export function matchRedirectUri(registered: readonly string[], presented: string): boolean {
  if (registered.includes(presented)) return true;
  const p = parse(presented);
  if (p?.protocol !== 'http:' || !LOOPBACK_HOSTS.has(p.hostname)) return false;
  return registered.some((r) => {
    const u = parse(r);
    return (
      u !== null &&
      u.protocol === 'http:' &&
      u.hostname === p.hostname &&
      u.pathname === p.pathname &&
      u.search === p.search
    );
  });
}

/** The registered URI's host, for the consent page ("you will return to …"). */
export function redirectHost(uri: string): string {
  const u = parse(uri);
  if (!u) return uri;
  return u.host || `${u.protocol}${u.pathname}`;
}

/**
 * The CSP source that lets the consent form's redirect reach this URI (`form-action` also governs where a
 * form POST is redirected): its origin for http(s), its scheme for a private-use scheme.
 */
export function formActionSource(uri: string): string | null {
  const u = parse(uri);
  if (!u || redirectUriProblem(uri) !== null) return null;
  return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : u.protocol;
}
