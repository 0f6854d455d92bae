/**
 * The OIDC authorization-code flow for one sign-in (OIDC Core §3.1, RFC 7636 PKCE):
 * `begin` builds the IdP redirect and the sealed flow state; `complete` checks `state`, exchanges the code
 * (arctic), verifies the ID token (jose), requires a verified e-mail in an allowed domain, then finds,
 * links or creates the user with IdP-mapped roles. Every refusal is an SsoSignInError with a user-safe code.
 */
import { generateCodeVerifier, generateState, OAuth2RequestError } from 'arctic';
import type { JWTPayload } from 'jose';
import { deriveKey, randomToken, safeEqual } from '../../lib/crypto';
import type { Ctx } from '../../lib/ctx';
import { isAppError } from '../../lib/errors';
import { safeNext } from '../../lib/safe-next';
import { findRolesByName } from '../roles/roles.repo';
import type { UserRow } from '../users/users.repo';
import type { SsoProfile } from '../users/users.service';
import { displayName, domainAllowed, groupsFromClaims, rolesForGroups, verifiedEmail } from './oidc/claims';
import { type DiscoveryDocument, OidcError } from './oidc/discovery';
import { FLOW_TTL_MS, type FlowState, sealFlow, unsealFlow } from './oidc/flow-state';
import { verifyIdToken } from './oidc/id-token';
import { createOAuthClient } from './oidc/oauth-client';
import { DEFAULT_GROUP_CLAIM, type SsoProviderConfig } from './oidc/provider-config';
import { SsoSignInError } from './sso.errors';
import type { SsoService } from './sso.service';

export interface SsoSignInDeps {
  appSecret: string;
  sso: SsoService;
  users: { findOrCreateFromSso(ctx: Ctx, profile: SsoProfile): Promise<UserRow> };
}

export interface CallbackParams {
  code?: string;
  state?: string;
  error?: string;
}

export class SsoSignIn {
  private readonly flowKey: Buffer;

  constructor(private readonly deps: SsoSignInDeps) {
    this.flowKey = deriveKey(deps.appSecret, 'sso-flow');
  }

  /** Where to send the browser, and the sealed flow state to set as a cookie. */
  async begin(ctx: Ctx, slug: string, next?: string | null): Promise<{ location: string; flow: string }> {
    const config = await this.provider(ctx, slug);
    const discovery = await this.discover(config);
    const flow: FlowState = {
      provider: config.slug,
      state: generateState(),
      codeVerifier: generateCodeVerifier(),
      nonce: randomToken(24),
      next: safeNext(next),
      expiresAt: Date.now() + FLOW_TTL_MS,
    };
    const client = createOAuthClient(config, discovery, this.deps.sso.callbackUrl(config.slug));
    const url = client.authorizationUrl(flow);
    return { location: url.toString(), flow: sealFlow(flow, this.flowKey) };
  }

  async complete(
    ctx: Ctx,
    slug: string,
    params: CallbackParams,
    sealedFlow: string | undefined,
  ): Promise<{ user: UserRow; next: string; provider: string }> {
    const flow = unsealFlow(sealedFlow, this.flowKey);
    // RFC 6749 §10.12: the state must be the one we issued to this browser, for this provider.
    if (
      !flow ||
      flow.provider !== slug.toLowerCase() ||
      !params.state ||
      !safeEqual(params.state, flow.state)
    )
      throw new SsoSignInError('sso_state', flow ? 'state mismatch' : 'no or expired flow cookie');
    if (params.error) throw new SsoSignInError('sso_denied', `IdP error: ${params.error.slice(0, 100)}`);
    if (!params.code) throw new SsoSignInError('sso_token', 'callback without a code');

    const config = await this.provider(ctx, slug);
    const claims = await this.redeemCode(config, params.code, flow);
    const email = verifiedEmail(config, claims);
    if (!email) throw new SsoSignInError('sso_email_unverified', 'no verified e-mail in the ID token');
    if (!domainAllowed(email, config.allowedDomains))
      throw new SsoSignInError('sso_domain', `domain ${email.slice(email.lastIndexOf('@') + 1)} not allowed`);

    const roles = await this.mappedRoles(ctx, config, claims);
    const profile: SsoProfile = {
      provider: config.id,
      subject: String(claims.sub),
      email,
      emailVerified: true,
      name: displayName(claims, email),
      avatarUrl:
        typeof claims.picture === 'string' && /^https:\/\//.test(claims.picture) ? claims.picture : null,
      roles,
    };
    let user: UserRow;
    try {
      user = await this.deps.users.findOrCreateFromSso(ctx, profile);
    } catch (err) {
      if (isAppError(err) && err.code === 'forbidden:auth')
        throw new SsoSignInError(
          /disabled/i.test(err.message) ? 'sso_account_disabled' : 'sso_email_unverified',
          err.message,
        );
      throw err;
    }
    return { user, next: safeNext(flow.next), provider: config.slug };
  }

  /** Code → tokens at the IdP (arctic), then the ID token's claims once jose has verified them. */
  private async redeemCode(config: SsoProviderConfig, code: string, flow: FlowState): Promise<JWTPayload> {
    const discovery = await this.discover(config);
    const client = createOAuthClient(config, discovery, this.deps.sso.callbackUrl(config.slug));
    let idToken: string;
    try {
      const tokens = await client.exchangeCode(code, flow.codeVerifier);
      idToken = tokens.idToken();
    } catch (err) {
      const reason =
        err instanceof OAuth2RequestError ? `token endpoint: ${err.code}` : 'token exchange failed';
      throw new SsoSignInError('sso_token', reason, { cause: err });
    }
    try {
      return await verifyIdToken({
        idToken,
        jwksUri: discovery.jwks_uri,
        issuer: discovery.issuer,
        clientId: config.clientId,
        nonce: flow.nonce,
      });
    } catch (err) {
      const reason = err instanceof OidcError ? err.reason : 'id_token_invalid';
      throw new SsoSignInError('sso_invalid_token', reason, { cause: err });
    }
  }

  /**
   * Role names for the user's IdP groups, or undefined when the provider maps none (then SSO leaves roles
   * alone). A mapping naming a role deleted since is skipped with a warning rather than failing sign-in.
   */
  private async mappedRoles(
    ctx: Ctx,
    config: SsoProviderConfig,
    claims: JWTPayload,
  ): Promise<string[] | undefined> {
    if (Object.keys(config.groupRoles).length === 0) return undefined;
    const claim = config.groupClaim ?? DEFAULT_GROUP_CLAIM[config.type];
    const wanted = rolesForGroups(groupsFromClaims(claim, claims), config.groupRoles);
    if (wanted.length === 0) return [];
    const existing = (await findRolesByName(ctx.db, wanted)).map((r) => r.name);
    const missing = wanted.filter((r) => !existing.includes(r));
    if (missing.length)
      ctx.log.warn({ provider: config.slug, missing }, 'SSO group mapping names roles that no longer exist');
    return existing;
  }

  private async provider(ctx: Ctx, slug: string): Promise<SsoProviderConfig> {
    const config = await this.deps.sso.enabledConfig(ctx, slug);
    if (!config) throw new SsoSignInError('sso_unavailable', `no enabled provider ${slug.slice(0, 60)}`);
    return config;
  }

  private async discover(config: SsoProviderConfig): Promise<DiscoveryDocument> {
    try {
      return await this.deps.sso.discover(config);
    } catch (err) {
      throw new SsoSignInError(
        'sso_idp_unreachable',
        err instanceof Error ? err.message : 'discovery failed',
        {
          cause: err,
        },
      );
    }
  }
}
