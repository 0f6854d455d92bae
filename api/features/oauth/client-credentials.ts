/** How a client authenticates at the token, revocation and introspection endpoints (RFC 6749 §2.3.1). */
import { InvalidClient, InvalidRequest } from './oauth.errors';

export interface ClientCredentials {
  clientId: string | null;
  clientSecret: string | null;
  /** How the client presented itself (RFC 6749 §2.3.1). */
  method: 'client_secret_basic' | 'client_secret_post' | 'none';
}

/** Reads client credentials from a Basic header and/or the form (RFC 6749 §2.3.1); more than one method is refused. */
export function readClientCredentials(
  authorization: string | undefined,
  form: URLSearchParams,
): ClientCredentials {
  const bodyId = form.get('client_id');
  const bodySecret = form.get('client_secret');
  const basic = /^Basic[ \t]+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (basic) {
    if (bodySecret !== null) throw new InvalidRequest('Use one client authentication method, not two');
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new InvalidClient('Malformed Basic credentials');
    let id: string;
    let secret: string;
    try {
      id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    } catch {
      throw new InvalidClient('Malformed Basic credentials');
    }
    if (bodyId !== null && bodyId !== id)
      throw new InvalidRequest('client_id does not match the credentials');
    return { clientId: id, clientSecret: secret, method: 'client_secret_basic' };
  }
  if (bodySecret !== null)
    return { clientId: bodyId, clientSecret: bodySecret, method: 'client_secret_post' };
  return { clientId: bodyId, clientSecret: null, method: 'none' };
}
