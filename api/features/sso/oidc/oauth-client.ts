/**
 * One arctic client per provider type behind a two-method interface: build the authorization URL
 * (code + PKCE S256 + state, plus our OIDC `nonce`) and exchange the code for tokens. arctic's named
 * providers hard-code their hosts; the generic OIDC client takes its endpoints from discovery.
 */
import {
  AmazonCognito,
  CodeChallengeMethod,
  Google,
  MicrosoftEntraId,
  OAuth2Client,
  type OAuth2Tokens,
} from 'arctic';
import type { DiscoveryDocument } from './discovery';
import type { SsoProviderConfig } from './provider-config';

export const SSO_SCOPES = ['openid', 'email', 'profile'];

export interface AuthorizationRequest {
  state: string;
  codeVerifier: string;
  nonce: string;
}

export interface OAuthClient {
  authorizationUrl(request: AuthorizationRequest): URL;
  exchangeCode(code: string, codeVerifier: string): Promise<OAuth2Tokens>;
}

export function createOAuthClient(
  p: SsoProviderConfig,
  discovery: DiscoveryDocument,
  redirectUri: string,
): OAuthClient {
  const withNonce = (url: URL, nonce: string) => {
    url.searchParams.set('nonce', nonce); // OIDC Core §3.1.2.1: replayed ID tokens fail the nonce check
    return url;
  };
  switch (p.type) {
    case 'cognito': {
      if (!p.domain) throw new Error('the Cognito domain is not configured');
      const client = new AmazonCognito(p.domain, p.clientId, p.clientSecret, redirectUri);
      return {
        authorizationUrl: (r) =>
          withNonce(client.createAuthorizationURL(r.state, r.codeVerifier, SSO_SCOPES), r.nonce),
        exchangeCode: (code, verifier) => client.validateAuthorizationCode(code, verifier),
      };
    }
    case 'google': {
      if (!p.clientSecret) throw new Error('Google needs a client secret');
      const client = new Google(p.clientId, p.clientSecret, redirectUri);
      return {
        authorizationUrl: (r) =>
          withNonce(client.createAuthorizationURL(r.state, r.codeVerifier, SSO_SCOPES), r.nonce),
        exchangeCode: (code, verifier) => client.validateAuthorizationCode(code, verifier),
      };
    }
    case 'entra': {
      const client = new MicrosoftEntraId(
        p.tenant ?? 'organizations',
        p.clientId,
        p.clientSecret,
        redirectUri,
      );
      return {
        authorizationUrl: (r) =>
          withNonce(client.createAuthorizationURL(r.state, r.codeVerifier, SSO_SCOPES), r.nonce),
        exchangeCode: (code, verifier) => client.validateAuthorizationCode(code, verifier),
      };
    }
    case 'oidc': {
      const client = new OAuth2Client(p.clientId, p.clientSecret, redirectUri);
      return {
        authorizationUrl: (r) =>
          withNonce(
            client.createAuthorizationURLWithPKCE(
              discovery.authorization_endpoint,
              r.state,
              CodeChallengeMethod.S256,
              r.codeVerifier,
              SSO_SCOPES,
            ),
            r.nonce,
          ),
        exchangeCode: (code, verifier) =>
          client.validateAuthorizationCode(discovery.token_endpoint, code, verifier),
      };
    }
  }
}
