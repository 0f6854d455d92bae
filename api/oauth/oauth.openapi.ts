/**
 * The OAuth endpoints in /api/openapi.json, as far as OpenAPI can describe them (form bodies, RFC 6749 error
 * bodies). The handlers read their parameters themselves (OAuth errors are not the app's 422).
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../lib/hono-env';

const TAG = ['OAuth'];

const OAuthErrorBody = z
  .object({
    error: z.string().openapi({ example: 'invalid_grant' }),
    error_description: z.string().optional(),
  })
  .openapi('OAuthError');

const oauthError = (description: string) => ({
  description,
  content: { 'application/json': { schema: OAuthErrorBody } },
});

const form = (schema: z.ZodObject) => ({
  required: true,
  content: { 'application/x-www-form-urlencoded': { schema } },
});

const TokenRequest = z
  .object({
    grant_type: z.enum(['authorization_code', 'refresh_token', 'client_credentials']),
    code: z.string().optional(),
    redirect_uri: z.string().optional(),
    code_verifier: z.string().optional().openapi({ description: 'PKCE (RFC 7636), required with a code' }),
    refresh_token: z.string().optional(),
    scope: z.string().optional(),
    resource: z.string().optional().openapi({ description: 'RFC 8707 audience' }),
    client_id: z.string().optional(),
    client_secret: z.string().optional().openapi({ description: 'client_secret_post; or use HTTP Basic' }),
  })
  .openapi('OAuthTokenRequest');

const TokenResponse = z
  .object({
    access_token: z.string().openapi({ description: 'JWT, typ at+jwt (RFC 9068), 15 minutes' }),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int(),
    scope: z.string(),
    refresh_token: z
      .string()
      .optional()
      .openapi({ description: 'Rotated on every use; 24 h sliding, 30 days at most' }),
    id_token: z.string().optional().openapi({ description: 'With the openid scope (RS256)' }),
  })
  .openapi('OAuthTokenResponse');

const TokenParam = z.object({
  token: z.string(),
  token_type_hint: z.enum(['access_token', 'refresh_token']).optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
});

export function documentOAuthEndpoints(router: OpenAPIHono<AppEnv>): void {
  const r = router.openAPIRegistry;
  r.registerPath({
    method: 'get',
    path: '/oauth/jwks',
    tags: TAG,
    summary: 'The public keys that sign access and ID tokens (JWKS)',
    security: [],
    responses: {
      200: {
        description: 'JSON Web Key Set',
        content: {
          'application/json': { schema: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }) },
        },
      },
    },
  });
  r.registerPath({
    method: 'get',
    path: '/oauth/authorize',
    tags: TAG,
    summary: 'Authorization endpoint (code flow, PKCE S256 required); a browser is sent on to consent',
    security: [],
    request: {
      query: z.object({
        response_type: z.literal('code'),
        client_id: z.string(),
        redirect_uri: z.string().optional(),
        scope: z.string().optional(),
        state: z.string().optional(),
        nonce: z.string().optional(),
        code_challenge: z.string(),
        code_challenge_method: z.literal('S256'),
        resource: z.string().optional(),
        prompt: z.enum(['none', 'login', 'consent']).optional(),
      }),
    },
    responses: {
      302: {
        description: 'To the consent page, or back to the redirect URI with code (or error), state and iss',
      },
      400: { description: 'Unknown client or unregistered redirect URI (shown, never redirected)' },
    },
  });
  r.registerPath({
    method: 'post',
    path: '/oauth/token',
    tags: TAG,
    summary: 'Token endpoint: authorization_code (+PKCE), refresh_token (rotated), client_credentials',
    security: [],
    request: { body: form(TokenRequest) },
    responses: {
      200: { description: 'Tokens', content: { 'application/json': { schema: TokenResponse } } },
      400: oauthError('RFC 6749 §5.2 error (invalid_request, invalid_grant, invalid_scope, …)'),
      401: oauthError('invalid_client'),
    },
  });
  for (const method of ['get', 'post'] as const)
    r.registerPath({
      method,
      path: '/oauth/userinfo',
      tags: TAG,
      summary: 'OpenID Connect userinfo (Bearer access token with the openid scope)',
      security: [{ oauth2: ['openid'] }],
      responses: {
        200: {
          description: 'Claims by scope',
          content: {
            'application/json': {
              schema: z.object({
                sub: z.string(),
                email: z.string().optional(),
                name: z.string().optional(),
              }),
            },
          },
        },
        401: oauthError('invalid_token'),
        403: oauthError('insufficient_scope'),
      },
    });
  r.registerPath({
    method: 'post',
    path: '/oauth/revoke',
    tags: TAG,
    summary: 'Token revocation (RFC 7009): revokes the grant behind an access or refresh token',
    security: [],
    request: { body: form(TokenParam) },
    responses: {
      200: { description: 'Revoked (or unknown)' },
      400: oauthError('Error'),
      401: oauthError('invalid_client'),
    },
  });
  r.registerPath({
    method: 'post',
    path: '/oauth/introspect',
    tags: TAG,
    summary: 'Token introspection (RFC 7662), for confidential clients',
    security: [],
    request: { body: form(TokenParam) },
    responses: {
      200: {
        description: '{ active, … }',
        content: { 'application/json': { schema: z.object({ active: z.boolean() }).catchall(z.unknown()) } },
      },
      400: oauthError('Error'),
      401: oauthError('invalid_client'),
    },
  });
  r.registerPath({
    method: 'post',
    path: '/oauth/register',
    tags: TAG,
    summary: 'Dynamic client registration (RFC 7591): public clients, mcp:* and OIDC scopes',
    security: [],
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.object({
              redirect_uris: z.array(z.string()),
              client_name: z.string().optional(),
              token_endpoint_auth_method: z.literal('none').optional(),
              grant_types: z.array(z.string()).optional(),
              response_types: z.array(z.string()).optional(),
              scope: z.string().optional(),
            }),
          },
        },
      },
    },
    responses: {
      201: {
        description: 'The registered client, with registration_client_uri and registration_access_token',
        content: {
          'application/json': { schema: z.object({ client_id: z.string() }).catchall(z.unknown()) },
        },
      },
      400: oauthError('invalid_client_metadata or invalid_redirect_uri'),
      403: oauthError('Registration is turned off'),
      429: oauthError('Too many registrations from this address'),
    },
  });
  r.registerPath({
    method: 'get',
    path: '/oauth/register/{clientId}',
    tags: TAG,
    summary: 'Read a dynamic registration (RFC 7592) with its registration access token',
    security: [],
    request: { params: z.object({ clientId: z.string() }) },
    responses: {
      200: {
        description: 'The registration',
        content: {
          'application/json': { schema: z.object({ client_id: z.string() }).catchall(z.unknown()) },
        },
      },
      401: oauthError('invalid_token'),
    },
  });
}
