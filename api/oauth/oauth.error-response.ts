/**
 * RFC 6749 §5.2 error bodies `{ error, error_description }` for the OAuth endpoints, with the
 * WWW-Authenticate challenge RFC 6749 §5.2 (invalid_client over Basic) and RFC 6750 §3 (Bearer) ask for.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { OAuthError } from '../features/oauth/oauth.errors';
import type { AppEnv } from '../lib/hono-env';

const quote = (s: string) => s.replace(/["\\]/g, "'");

export function oauthErrorResponse(c: Context<AppEnv>, err: OAuthError): Response {
  if (err.error === 'invalid_client' && /^Basic\s/i.test(c.req.header('authorization') ?? ''))
    c.header('WWW-Authenticate', 'Basic realm="oauth"');
  if (err.error === 'invalid_token' || err.error === 'insufficient_scope')
    c.header(
      'WWW-Authenticate',
      `Bearer error="${err.error}", error_description="${quote(err.description)}"`,
    );
  c.header('Cache-Control', 'no-store');
  return c.json(err.toJSON(), err.status as ContentfulStatusCode);
}
