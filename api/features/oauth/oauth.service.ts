/**
 * The OAuth 2.1 / OpenID Connect provider's behaviour (the HTTP surface is api/oauth/): authorization
 * requests and consent, the token endpoint's grants (token-grants.ts), revocation (RFC 7009), introspection
 * (RFC 7662), userinfo, and turning a presented access token into an actor for /api/v1 and /api/mcp.
 *
 * Access-token checks on the request path cost one JWT verification against an in-process key set and one
 * cached lookup of the token's grant with its user's actor (hot caches: cleared on audited identity or
 * OAuth changes, NOTIFY on Postgres, 10 s TTL otherwise).
 */
import type { Queryable } from '../../../db/client';
import { assertSignedIn } from '../../lib/authz';
import { randomToken, sha256 } from '../../lib/crypto';
import type { Actor, Ctx } from '../../lib/ctx';
import type { HotCaches, TtlCache } from '../../lib/hot-cache';
import { safeNext } from '../../lib/safe-next';
import { scopedActor } from '../../lib/scopes';
import type { AuditService } from '../audit/audit.service';
import { loadUser, type UsersService } from '../users/users.service';
import {
  AuthorizationFailure,
  type AuthorizationRequest,
  authorizationResponse,
  checkAuthorizationRequest,
} from './authorization-request';
import { findClient } from './clients.repo';
import type { ClientCredentials, OAuthClientsService } from './clients.service';
import {
  deleteConsent,
  findConsent,
  findGrant,
  findRefreshToken,
  insertCode,
  listConnectedApps,
  revokeGrant,
  revokeGrantsOf,
  sessionStartedAt,
  upsertConsent,
} from './grants.repo';
import { type AccessTokenClaims, looksLikeJwt, verifyAccessToken } from './jwt';
import {
  AccessDenied,
  ConsentRequired,
  InsufficientScope,
  InvalidClient,
  InvalidRequest,
  InvalidToken,
  LoginRequired,
  UnauthorizedClient,
} from './oauth.errors';
import { formatScopes, scopeInWords } from './oauth.scopes';
import { formActionSource, redirectHost } from './redirect-uri';
import type { SigningKeys } from './signing-keys';
import { TokenGrants, type TokenResponse } from './token-grants';

export { AuthorizationFailure } from './authorization-request';

export const CODE_TTL_MS = 60_000;
export const CONSENT_PATH = '/oauth/consent';

interface GrantState {
  live: boolean;
  clientActive: boolean;
  clientName: string;
  owner: Actor | null;
}

export interface ConsentView {
  clientId: string;
  clientName: string;
  redirectHost: string;
  /** The CSP `form-action` source the page needs so Allow/Deny can redirect to the app. */
  redirectSource: string | null;
  dynamic: boolean;
  scopes: { scope: string; words: string }[];
  account: { name: string; email: string };
  /** The authorization request's parameters, posted back with the decision. */
  params: Record<string, string>;
}

export type ConsentStep = { kind: 'redirect'; url: string } | { kind: 'ask'; view: ConsentView };

export interface ConnectedApp {
  clientId: string;
  clientName: string;
  scopes: { scope: string; words: string }[];
  consentedAt: string;
  lastUsedAt: string | null;
  activeGrants: number;
}

export interface IntrospectionResponse {
  active: boolean;
  [claim: string]: unknown;
}

export class OAuthService {
  readonly grants: TokenGrants;
  private readonly grantStates: TtlCache<GrantState | null>;

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
    this.grantStates = deps.caches.create({ max: 50_000 });
    this.grants = new TokenGrants({
      db: deps.db,
      issuer: () => this.issuer(),
      resources: () => this.resources(),
      audit: deps.audit,
      users: deps.users,
      keys: deps.keys,
    });
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

  // ——— authorization endpoint and consent ———

  /**
   * GET /api/oauth/authorize: a redirect to the client (a code when consent is remembered, or an error), or
   * to the consent page (which asks the person to sign in first when needed).
   */
  async authorize(ctx: Ctx, params: URLSearchParams): Promise<string> {
    const req = await this.check(ctx, params);
    // The consent page must survive the sign-in detour, whose return goes through the one `safeNext`
    // (1 024 characters at most): a request it would drop (a very long state) is refused up front, to the
    // client, rather than landing the person on the home page after signing in.
    if (safeNext(this.consentUrl(params), '') === '')
      throw this.fail(
        req,
        new InvalidRequest(
          'The authorization request is too long to carry through sign-in (at most about 1 000 characters for all parameters together); send a shorter state or nonce',
        ),
      );
    const signedIn = ctx.actor.type === 'user' && ctx.actor.id !== null;
    if (!signedIn) {
      if (req.prompt === 'none') throw this.fail(req, new LoginRequired('The person is not signed in'));
      return this.consentUrl(params);
    }
    if (req.prompt !== 'consent' && req.prompt !== 'login' && (await this.consentCovers(ctx, req)))
      return this.issueCode(ctx, req);
    if (req.prompt === 'none')
      throw this.fail(req, new ConsentRequired('The person has not approved this client'));
    return this.consentUrl(params);
  }

  /** The consent page's loader: ask, or go straight back with a code when this consent is remembered. */
  async consent(ctx: Ctx, params: URLSearchParams): Promise<ConsentStep> {
    assertSignedIn(ctx.actor);
    const req = await this.check(ctx, params);
    if (req.prompt !== 'consent' && (await this.consentCovers(ctx, req)))
      return { kind: 'redirect', url: await this.issueCode(ctx, req) };
    const user = await loadUser(ctx.db, ctx.actor.id);
    const kept: Record<string, string> = {};
    for (const [k, v] of params) kept[k] = v;
    return {
      kind: 'ask',
      view: {
        clientId: req.client.id,
        clientName: req.client.name,
        redirectHost: redirectHost(req.redirectUri),
        redirectSource: formActionSource(req.redirectUri),
        dynamic: req.client.dynamic,
        scopes: req.scopes.map((scope) => ({ scope, words: scopeInWords(scope) })),
        account: { name: user.name, email: user.email },
        params: kept,
      },
    };
  }

  /** Allow or Deny on the consent page → where the browser goes next (the client's redirect URI). */
  async decide(ctx: Ctx, params: URLSearchParams, allow: boolean): Promise<string> {
    assertSignedIn(ctx.actor);
    const req = await this.check(ctx, params);
    if (!allow) {
      await this.deps.audit.record(ctx, {
        action: 'oauth.consent_denied',
        targetType: 'oauth_client',
        targetId: req.client.id,
        details: { scopes: req.scopes },
      });
      throw this.fail(req, new AccessDenied('The person declined'));
    }
    const previous = await findConsent(ctx.db, ctx.actor.id, req.client.id);
    const scopes = [...new Set([...(previous?.scopes ?? []), ...req.scopes])].sort();
    await upsertConsent(ctx.db, { userId: ctx.actor.id, clientId: req.client.id, scopes, now: new Date() });
    await this.deps.audit.record(ctx, {
      action: 'oauth.consent',
      targetType: 'oauth_client',
      targetId: req.client.id,
      details: { scopes: req.scopes },
    });
    return this.issueCode(ctx, req);
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
  ): Promise<{ actor: Actor; claims: AccessTokenClaims }> {
    const claims = await verifyAccessToken(this.deps.keys, token, { issuer: this.issuer(), audiences });
    const state = await this.grantState(claims.gid);
    if (!state?.live) throw new InvalidToken('The access token has been revoked');
    if (!state.clientActive) throw new InvalidToken('The client of this token has been disabled');
    if (!state.owner) throw new InvalidToken('The user of this token is disabled');
    const actor = scopedActor(state.owner, claims.scope.split(' '), {
      type: 'oauth',
      oauthClientId: claims.client_id,
      label: `${state.owner.label} (app ${state.clientName})`,
    });
    return { actor, claims };
  }

  // ——— connected apps (profile) ———

  async connectedApps(ctx: Ctx): Promise<ConnectedApp[]> {
    assertSignedIn(ctx.actor);
    const rows = await listConnectedApps(ctx.db, ctx.actor.id, new Date());
    return rows.map((r) => ({
      clientId: r.clientId,
      clientName: r.clientName,
      scopes: r.scopes.map((scope) => ({ scope, words: scopeInWords(scope) })),
      consentedAt: r.consentedAt.toISOString(),
      lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
      activeGrants: r.activeGrants,
    }));
  }

  /** Forgets the consent and revokes every grant (refresh and access tokens) of this app for the person. */
  async disconnect(ctx: Ctx, clientId: string): Promise<{ revokedGrants: number }> {
    assertSignedIn(ctx.actor);
    const userId = ctx.actor.id;
    const result = await ctx.db.transaction(async (tx) => {
      const forgotten = await deleteConsent(tx, userId, clientId);
      const revokedGrants = await revokeGrantsOf(tx, { userId, clientId, reason: 'user', now: new Date() });
      if (forgotten || revokedGrants)
        await this.deps.audit.record(
          { ...ctx, db: tx },
          {
            action: 'oauth.disconnect',
            targetType: 'oauth_client',
            targetId: clientId,
            details: { revokedGrants },
          },
        );
      return { revokedGrants };
    });
    this.grantStates.clear();
    return result;
  }

  // ——— internals ———

  private check(ctx: Ctx, params: URLSearchParams): Promise<AuthorizationRequest> {
    return checkAuthorizationRequest({
      params,
      findClient: (id) => this.deps.clients.find(ctx, id),
      resources: this.resources(),
      defaultAudience: this.issuer(),
      issuer: this.issuer(),
    });
  }

  private fail(
    req: AuthorizationRequest,
    err: AccessDenied | LoginRequired | ConsentRequired | InvalidRequest,
  ): AuthorizationFailure {
    return new AuthorizationFailure(
      err,
      authorizationResponse(
        req.redirectUri,
        { error: err.error, error_description: err.description, state: req.state },
        this.issuer(),
      ),
    );
  }

  private consentUrl(params: URLSearchParams): string {
    return `${CONSENT_PATH}?${params.toString()}`;
  }

  private async consentCovers(ctx: Ctx, req: AuthorizationRequest): Promise<boolean> {
    if (!ctx.actor.id) return false;
    const consent = await findConsent(ctx.db, ctx.actor.id, req.client.id);
    return consent !== undefined && req.scopes.every((s) => consent.scopes.includes(s));
  }

  private async issueCode(ctx: Ctx, req: AuthorizationRequest): Promise<string> {
    assertSignedIn(ctx.actor);
    const code = randomToken(32);
    const now = new Date();
    const authTime = (ctx.actor.sessionId && (await sessionStartedAt(ctx.db, ctx.actor.sessionId))) || now;
    await insertCode(ctx.db, {
      codeHash: sha256(code),
      clientId: req.client.id,
      userId: ctx.actor.id,
      redirectUri: req.redirectUri,
      scopes: req.scopes,
      codeChallenge: req.codeChallenge,
      nonce: req.nonce,
      audience: req.audience,
      authTime,
      expiresAt: new Date(now.getTime() + CODE_TTL_MS),
    });
    return authorizationResponse(req.redirectUri, { code, state: req.state }, this.issuer());
  }

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

  private grantState(grantId: string): Promise<GrantState | null> {
    return this.grantStates.getOrLoad(grantId, async () => {
      const grant = await findGrant(this.deps.db, grantId);
      if (!grant) return null;
      const client = await findClient(this.deps.db, grant.clientId);
      const owner = await this.deps.users.actorFor(this.deps.db, grant.userId, { type: 'oauth' });
      return {
        live: grant.revokedAt === null && grant.expiresAt.getTime() > Date.now(),
        clientActive: client?.status === 'active',
        clientName: client?.name ?? 'unknown',
        owner,
      };
    });
  }
}
