/**
 * The authorization request (RFC 6749 §4.1.1 with OAuth 2.1's PKCE rules, RFC 8707 `resource`, OIDC
 * `nonce`/`prompt`) checked as a list of small named checks. Until the client and its redirect URI are
 * known good, a failure is shown to the person (never redirected: no open redirect); after that it goes
 * back to the client's redirect URI with `error`, `state` and `iss` (RFC 9207).
 */
import type { OAuthClientRow } from './clients.repo';
import {
  AccessDenied,
  InvalidRequest,
  InvalidScope,
  InvalidTarget,
  type OAuthError,
  UnauthorizedClient,
  UnsupportedResponseType,
} from './oauth.errors';
import { isOAuthScope, parseScopeParam } from './oauth.scopes';
import { matchRedirectUri } from './redirect-uri';

/** The parameters we read; anything else is ignored (RFC 6749 §3.1). */
export const AUTHORIZATION_PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'resource',
  'prompt',
] as const;

export interface AuthorizationRequest {
  client: OAuthClientRow;
  redirectUri: string;
  scopes: string[];
  state: string | null;
  nonce: string | null;
  codeChallenge: string;
  audience: string;
  prompt: 'none' | 'consent' | 'login' | null;
}

/** A failed authorization request: where to send the person, or null to show the error in place. */
export class AuthorizationFailure extends Error {
  constructor(
    readonly oauth: OAuthError,
    readonly redirectTo: string | null,
  ) {
    super(oauth.description);
    this.name = 'AuthorizationFailure';
  }
}

const PKCE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** The authorization response (success or error) at the client's redirect URI, with `iss` (RFC 9207). */
export function authorizationResponse(
  redirectUri: string,
  params: Record<string, string | null | undefined>,
  issuer: string,
): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v) url.searchParams.set(k, v);
  url.searchParams.set('iss', issuer);
  return url.toString();
}

function single(params: URLSearchParams, name: string): string | null {
  const all = params.getAll(name);
  if (all.length > 1) throw new InvalidRequest(`${name} must be given once`);
  return all[0] ?? null;
}

/**
 * Checks an authorization request against the client (found by the caller) and our resources.
 * `findClient` answers the client whatever its status.
 */
export async function checkAuthorizationRequest(input: {
  params: URLSearchParams;
  findClient: (id: string | null) => Promise<OAuthClientRow | undefined>;
  resources: readonly string[];
  defaultAudience: string;
  issuer: string;
}): Promise<AuthorizationRequest> {
  const { params } = input;
  // 1. Who is asking, and where the answer may go: failures here are shown, not redirected.
  let clientId: string | null;
  let presentedRedirect: string | null;
  try {
    clientId = single(params, 'client_id');
    presentedRedirect = single(params, 'redirect_uri');
  } catch (err) {
    throw new AuthorizationFailure(err as OAuthError, null);
  }
  if (!clientId) throw new AuthorizationFailure(new InvalidRequest('client_id is missing'), null);
  const client = await input.findClient(clientId);
  if (!client) throw new AuthorizationFailure(new InvalidRequest('Unknown client_id'), null);
  if (client.status === 'pending')
    throw new AuthorizationFailure(
      new AccessDenied(`"${client.name}" is waiting for an administrator to approve it`),
      null,
    );
  if (client.status !== 'active')
    throw new AuthorizationFailure(new AccessDenied(`"${client.name}" has been disabled`), null);
  let redirectUri: string;
  if (presentedRedirect) {
    if (!matchRedirectUri(client.redirectUris, presentedRedirect))
      throw new AuthorizationFailure(
        new InvalidRequest('redirect_uri is not registered for this client'),
        null,
      );
    redirectUri = presentedRedirect;
  } else if (client.redirectUris.length === 1) {
    redirectUri = client.redirectUris[0]!;
  } else {
    throw new AuthorizationFailure(new InvalidRequest('redirect_uri is missing'), null);
  }

  // 2. Everything else is answered at the redirect URI.
  let state: string | null = null;
  try {
    state = single(params, 'state');
    return checkRest({
      params,
      client,
      redirectUri,
      state,
      resources: input.resources,
      defaultAudience: input.defaultAudience,
    });
  } catch (err) {
    const oauth = err as OAuthError;
    throw new AuthorizationFailure(
      oauth,
      authorizationResponse(
        redirectUri,
        { error: oauth.error, error_description: oauth.description, state },
        input.issuer,
      ),
    );
  }
}

function checkRest(input: {
  params: URLSearchParams;
  client: OAuthClientRow;
  redirectUri: string;
  state: string | null;
  resources: readonly string[];
  defaultAudience: string;
}): AuthorizationRequest {
  const { params, client } = input;
  const responseType = single(params, 'response_type');
  if (responseType !== 'code') throw new UnsupportedResponseType('Only response_type=code is supported');
  const challenge = single(params, 'code_challenge');
  const method = single(params, 'code_challenge_method');
  if (!challenge)
    throw new InvalidRequest('PKCE is required: send code_challenge with code_challenge_method=S256');
  if (method !== 'S256') throw new InvalidRequest('code_challenge_method must be S256');
  if (!PKCE_CHALLENGE.test(challenge))
    throw new InvalidRequest('code_challenge must be 43 base64url characters');

  const scopeParam = single(params, 'scope');
  const scopes = scopeParam === null ? [...client.scopes].sort() : parseScopeParam(scopeParam);
  if (scopes.length === 0) throw new InvalidScope('scope is empty');
  const unknown = scopes.filter((s) => !isOAuthScope(s));
  if (unknown.length) throw new InvalidScope(`Unknown scope: ${unknown.join(' ')}`);
  const notAllowed = scopes.filter((s) => !client.scopes.includes(s));
  if (notAllowed.length) throw new InvalidScope(`This client may not request: ${notAllowed.join(' ')}`);

  const resources = params.getAll('resource');
  if (resources.length > 1) throw new InvalidTarget('Ask for one resource at a time');
  const resource = resources[0] ?? null;
  if (resource !== null && !input.resources.includes(resource))
    throw new InvalidTarget(`Unknown resource; this server offers: ${input.resources.join(', ')}`);

  const nonce = single(params, 'nonce');
  if (nonce !== null && nonce.length > 512) throw new InvalidRequest('nonce is too long');
  if (input.state !== null && input.state.length > 2048) throw new InvalidRequest('state is too long');
  const prompt = single(params, 'prompt');
  if (prompt !== null && !['none', 'consent', 'login'].includes(prompt))
    throw new InvalidRequest('prompt must be none, login or consent');
  if (client.isPublic && client.redirectUris.length === 0)
    throw new UnauthorizedClient('This client has no redirect URI');

  return {
    client,
    redirectUri: input.redirectUri,
    scopes,
    state: input.state,
    nonce,
    codeChallenge: challenge,
    audience: resource ?? input.defaultAudience,
    prompt: prompt as AuthorizationRequest['prompt'],
  };
}
