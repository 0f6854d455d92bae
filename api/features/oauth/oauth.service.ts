/**
 * The OAuth 2.1 / OpenID Connect provider's behaviour (the HTTP surface is api/oauth/): the authorization
 * endpoint and consent (authorization-flow.ts), the token endpoint's grants (token-grants.ts), revocation
 * (RFC 7009), introspection (RFC 7662), userinfo, connected apps (connected-apps.ts), and turning a
 * presented access token into an actor for /api/v1 and /api/mcp.
 *
 * Access-token checks on the request path cost one JWT verification against an in-process key set (then
 * remembered until the token expires) and one cached lookup of the token's grant with its user's actor
 * (grant-states.ts).
 */
import type { Queryable } from '../../../db/client';
import { CredentialCache } from '../../lib/credential-cache';
import { sha256 } from '../../lib/crypto';
import type { Actor, Ctx } from '../../lib/ctx';
import type { HotCaches } from '../../lib/hot-cache';
import { scopedActor } from '../../lib/scopes';
import type { AuditService } from '../audit/audit.service';
import { loadUser, type UsersService } from '../users/users.service';
import { AuthorizationFlow, type ConsentStep } from './authorization-flow';
import type { ClientCredentials, OAuthClientsService } from './clients.service';
import { type ConnectedApp, ConnectedApps } from './connected-apps';
import { GrantStates } from './grant-states';
import { findGrant, findRefreshToken, revokeGrant } from './grants.repo';
import { type AccessTokenClaims, looksLikeJwt, verifyAccessToken } from './jwt';
import {
  InsufficientScope,
  InvalidClient,
  InvalidRequest,
  InvalidToken,
  UnauthorizedClient,
} from './oauth.errors';
import { formatScopes } from './oauth.scopes';
import type { SigningKeys } from './signing-keys';
import { TokenGrants, type TokenResponse } from './token-grants';

export { CODE_TTL_MS, CONSENT_PATH, type ConsentStep, type ConsentView } from './authorization-flow';
export { AuthorizationFailure } from './authorization-request';
export type { ConnectedApp } from './connected-apps';

export interface IntrospectionResponse {
  active: boolean;
  [claim: string]: unknown;
}

/** Token actors kept per cached grant state (one per client and scope shape). */
const MAX_ACTORS_PER_GRANT = 16;

export class OAuthService {
  readonly grants: TokenGrants;
  private readonly grantStates: GrantStates;
  /** Access tokens whose signature, issuer, audience and expiry were checked (lib/credential-cache.ts). */
  private readonly verified: CredentialCache<{ claims: AccessTokenClaims; expiresAt: Date }>;
  private readonly flow: AuthorizationFlow;
  private readonly apps: ConnectedApps;

  constructor(
    private readonly deps: {
      db: Queryable;
      appUrl: () => string;
      audit: AuditService;
      users: UsersService;
      clients: OAuthClientsService;
      keys: SigningKeys;
      caches: HotCaches;
    },
  ) {
    this.grantStates = new GrantStates({ db: deps.db, users: deps.users, caches: deps.caches });
    this.verified = new CredentialCache(deps.caches);
    this.grants = new TokenGrants({
      db: deps.db,
      issuer: () => this.issuer(),
      resources: () => this.resources(),
      audit: deps.audit,
      users: deps.users,
      keys: deps.keys,
    });
    this.flow = new AuthorizationFlow({
      audit: deps.audit,
      clients: deps.clients,
      issuer: () => this.issuer(),
      resources: () => this.resources(),
    });
    this.apps = new ConnectedApps({ audit: deps.audit, grantStates: this.grantStates });
  }

  issuer(): string {
    return this.deps.appUrl();
  }

  /** The MCP endpoint as a protected resource (RFC 9728 `resource`, RFC 8707 audience). */
  mcpResource(): string {
    return `${this.issuer()}/api/mcp`;
  }

  /** Audiences a token may be issued for: the whole deployment (the default), the REST API, the MCP server. */
  resources(): string[] {
    const issuer = this.issuer();
    return [issuer, `${issuer}/api/v1`, this.mcpResource()];
  }

  // ——— authorization endpoint and consent (authorization-flow.ts) ———

  /** GET /api/oauth/authorize: where the browser goes next (the client with a code or an error, or consent). */
  authorize(ctx: Ctx, params: URLSearchParams): Promise<string> {
    return this.flow.authorize(ctx, params);
  }

  /** The consent page's loader. */
  consent(ctx: Ctx, params: URLSearchParams): Promise<ConsentStep> {
    return this.flow.consent(ctx, params);
  }

  /** Allow or Deny on the consent page. */
  decide(ctx: Ctx, params: URLSearchParams, allow: boolean): Promise<string> {
    return this.flow.decide(ctx, params, allow);
  }

  // ——— token endpoint and friends ———

  async token(ctx: Ctx, creds: ClientCredentials, form: URLSearchParams): Promise<TokenResponse> {
    const client = await this.deps.clients.authenticate(ctx, creds);
    return this.grants.exchange(ctx, client, form);
  }

  /** RFC 7009: revokes the token's grant (its refresh tokens and access tokens). Unknown tokens are fine. */
  async revoke(ctx: Ctx, creds: ClientCredentials, form: URLSearchParams): Promise<void> {
    const client = await this.deps.clients.authenticate(ctx, creds);
    const token = form.get('token');
    if (!token) throw new InvalidRequest('token is missing');
    const grantId = await this.grantOfToken(token);
    if (!grantId) return;
    if (grantId.clientId !== client.id)
      throw new UnauthorizedClient('This token was issued to another client');
    const revoked = await revokeGrant(ctx.db, grantId.id, 'revoked', new Date());
    this.grantStates.delete(grantId.id);
    if (revoked)
      await this.deps.audit.record(
        { ...ctx, actor: this.grants.clientActor(client) },
        {
          action: 'oauth.revoke',
          targetType: 'oauth_grant',
          targetId: revoked.id,
          details: { client: client.id, user: revoked.userId },
        },
      );
  }

  /** RFC 7662, for confidential clients (resource servers). */
  async introspect(
    ctx: Ctx,
    creds: ClientCredentials,
    form: URLSearchParams,
  ): Promise<IntrospectionResponse> {
    const client = await this.deps.clients.authenticate(ctx, creds);
    if (client.isPublic) throw new InvalidClient('Introspection is for confidential clients');
    const token = form.get('token');
    if (!token) throw new InvalidRequest('token is missing');
    if (looksLikeJwt(token)) {
      try {
        const claims = await verifyAccessToken(this.deps.keys, token, { issuer: this.issuer() });
        const state = await this.grantState(claims.gid);
        if (!state?.live || !state.clientActive || !state.owner) return { active: false };
        return {
          active: true,
          token_type: 'Bearer',
          scope: claims.scope,
          client_id: claims.client_id,
          sub: claims.sub,
          aud: claims.aud,
          iss: claims.iss,
          exp: claims.exp,
          iat: claims.iat,
          jti: claims.jti,
        };
      } catch {
        return { active: false };
      }
    }
    const row = await findRefreshToken(ctx.db, sha256(token));
    const now = Date.now();
    if (!row || row.clientId !== client.id || row.usedAt || row.revokedAt || row.expiresAt.getTime() <= now)
      return { active: false };
    const grant = await findGrant(ctx.db, row.grantId);
    if (!grant || grant.revokedAt) return { active: false };
    return {
      active: true,
      token_type: 'refresh_token',
      scope: formatScopes(row.scopes),
      client_id: client.id,
      sub: grant.userId,
      exp: Math.floor(row.expiresAt.getTime() / 1000),
      iat: Math.floor(row.createdAt.getTime() / 1000),
    };
  }

  /** OIDC Core §5.3: claims about the token's user, by its scopes. */
  async userinfo(ctx: Ctx, token: string | null): Promise<Record<string, unknown>> {
    if (!token) throw new InvalidToken('An access token is required');
    const claims = await verifyAccessToken(this.deps.keys, token, { issuer: this.issuer() });
    const state = await this.grantState(claims.gid);
    if (!state?.live || !state.clientActive || !state.owner)
      throw new InvalidToken('The access token is no longer valid');
    const scopes = claims.scope.split(' ');
    if (!scopes.includes('openid')) throw new InsufficientScope('The token lacks the openid scope');
    const user = await loadUser(ctx.db, claims.sub);
    return this.grants.userClaims(user, scopes, claims.sub);
  }

  /**
   * The actor behind an access token presented on /api/v1 or /api/mcp: its user narrowed to the token's
   * scopes (and the user's capabilities now). `invalid_token` when anything is off.
   */
  async resolveAccessToken(
    token: string,
    audiences: readonly string[],
  ): Promise<{ actor: Actor; claims: AccessTokenClaims; rateLimitRpm: number }> {
    const issuer = this.issuer();
    // A verified token is remembered until its own expiry (or the hot caches' TTL / next clear): the
    // signature check is most of an access token's cost. The key covers issuer and audiences, so a token
    // verified for one resource is checked afresh on another. Refusals are never cached.
    const { claims } = await this.verified.resolve(`${issuer} ${audiences.join(' ')} ${token}`, async () => {
      const verified = await verifyAccessToken(this.deps.keys, token, { issuer, audiences });
      return { claims: verified, expiresAt: new Date(verified.exp * 1000) };
    });
    const state = await this.grantState(claims.gid);
    if (!state?.live) throw new InvalidToken('The access token has been revoked');
    if (!state.clientActive) throw new InvalidToken('The client of this token has been disabled');
    if (!state.owner) throw new InvalidToken('The user of this token is disabled');
    // Built once per grant state and scope, not per request (cleared with the state: ADR 019). A grant's
    // tokens may carry any subset of its scopes: past a few shapes, they are built per request again.
    const key = `${claims.client_id} ${claims.scope}`;
    let actor = state.actors.get(key);
    if (!actor) {
      actor = scopedActor(state.owner, claims.scope.split(' '), {
        type: 'oauth',
        oauthClientId: claims.client_id,
        label: `${state.owner.label} (app ${state.clientName})`,
      });
      if (state.actors.size < MAX_ACTORS_PER_GRANT) state.actors.set(key, actor);
    }
    return { actor, claims, rateLimitRpm: state.clientRateLimitRpm };
  }

  // ——— connected apps (profile; connected-apps.ts) ———

  connectedApps(ctx: Ctx): Promise<ConnectedApp[]> {
    return this.apps.list(ctx);
  }

  disconnect(ctx: Ctx, clientId: string): Promise<{ revokedGrants: number }> {
    return this.apps.disconnect(ctx, clientId);
  }

  // ——— internals ———

  /** The grant a token belongs to (refresh token by hash, access token by its `gid`), or null. */
  private async grantOfToken(token: string): Promise<{ id: string; clientId: string } | null> {
    if (looksLikeJwt(token)) {
      try {
        const claims = await verifyAccessToken(this.deps.keys, token, { issuer: this.issuer() });
        return { id: claims.gid, clientId: claims.client_id };
      } catch {
        return null;
      }
    }
    const row = await findRefreshToken(this.deps.db, sha256(token));
    return row ? { id: row.grantId, clientId: row.clientId } : null;
  }

  private grantState(grantId: string) {
    return this.grantStates.get(grantId);
  }
}
