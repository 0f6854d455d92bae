/**
 * Discovery documents: authorization server metadata (RFC 8414, served as OpenID Provider metadata too —
 * one document, `issuer` = APP_URL byte for byte) and protected resource metadata for the MCP server
 * (RFC 9728; `resource` = `<APP_URL>/api/mcp` exactly, which is what MCP clients send as RFC 8707 `resource`).
 */
import type { RegistrationMode } from '../features/oauth/clients.service';
import { MCP_SCOPES, OAUTH_SCOPES } from '../features/oauth/oauth.scopes';
import { SIGNING_ALG } from '../features/oauth/signing-keys';

export function authorizationServerMetadata(issuer: string, registration: RegistrationMode) {
  const endpoint = (p: string) => `${issuer}/api/oauth/${p}`;
  return {
    issuer,
    authorization_endpoint: endpoint('authorize'),
    token_endpoint: endpoint('token'),
    userinfo_endpoint: endpoint('userinfo'),
    jwks_uri: endpoint('jwks'),
    ...(registration === 'off' ? {} : { registration_endpoint: endpoint('register') }),
    revocation_endpoint: endpoint('revoke'),
    introspection_endpoint: endpoint('introspect'),
    scopes_supported: OAUTH_SCOPES,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [SIGNING_ALG],
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'at_hash',
      'email',
      'email_verified',
      'name',
    ],
    prompt_values_supported: ['none', 'login', 'consent'],
    authorization_response_iss_parameter_supported: true,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    claims_parameter_supported: false,
    service_documentation: `${issuer}/api/docs`,
  };
}

export function protectedResourceMetadata(issuer: string) {
  return {
    resource: `${issuer}/api/mcp`,
    authorization_servers: [issuer],
    scopes_supported: [...MCP_SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: 'AI Studio MCP server',
    resource_documentation: `${issuer}/api/docs`,
  };
}

/** What an unauthenticated MCP request gets (RFC 9728 §5.1). */
export const resourceMetadataUrl = (issuer: string): string =>
  `${issuer}/.well-known/oauth-protected-resource/api/mcp`;
