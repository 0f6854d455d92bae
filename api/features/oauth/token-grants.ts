/**
 * The token endpoint's grants (RFC 6749 §4.1.3, §6, §4.4 as OAuth 2.1 keeps them), one method each:
 * - authorization_code: PKCE S256 required; the code is consumed by one atomic UPDATE inside the transaction
 *   that creates the grant, so a concurrent or later second use finds it consumed and revokes what the first
 *   issued (§4.1.2);
 * - refresh_token: rotated on every use (24 h sliding, capped at the grant's 30 days); presenting a rotated
 *   token again revokes the whole family and is audited (OAuth 2.1 §4.3.1, BCP 240 §4.14.2);
 * - client_credentials: confidential clients only, acting as the service identity an admin chose.
 * Tokens are signed after the transaction commits (the key store reads through the pool, not `tx`).
 */
import type { Queryable } from '../../../db/client';
import { randomToken, sha256 } from '../../lib/crypto';
import type { Actor, Ctx } from '../../lib/ctx';
import type { AuditService } from '../audit/audit.service';
import type { UserRow } from '../users/users.repo';
import { loadUser, type UsersService } from '../users/users.service';
import type { OAuthClientRow } from './clients.repo';
import {
  consumeCode,
  findCode,
  findGrant,
  findRefreshToken,
  type GrantRow,
  insertGrant,
  insertRefreshToken,
  revokeGrant,
  setCodeGrant,
  useRefreshToken,
} from './grants.repo';
import { ACCESS_TOKEN_TTL_S, signAccessToken, signIdToken } from './jwt';
import {
  InvalidGrant,
  InvalidRequest,
  InvalidScope,
  InvalidTarget,
  UnauthorizedClient,
  UnsupportedGrantType,
} from './oauth.errors';
import { formatScopes, OIDC_SCOPES, parseScopeParam } from './oauth.scopes';
import { verifierMatches } from './pkce';
import type { SigningKeys } from './signing-keys';

export const REFRESH_TOKEN_TTL_MS = 24 * 3600_000;
export const GRANT_MAX_AGE_MS = 30 * 24 * 3600_000;

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

interface Issue {
  grant: GrantRow;
  scopes: string[];
  refreshToken: string | null;
  nonce: string | null;
}

export class TokenGrants {
  constructor(
    private readonly deps: {
      db: Queryable;
      issuer: () => string;
      resources: () => string[];
      audit: AuditService;
      users: UsersService;
      keys: SigningKeys;
    },
  ) {}

  async exchange(ctx: Ctx, client: OAuthClientRow, form: URLSearchParams): Promise<TokenResponse> {
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') return this.authorizationCode(ctx, client, form);
    if (grantType === 'refresh_token') return this.refreshToken(ctx, client, form);
    if (grantType === 'client_credentials') return this.clientCredentials(ctx, client, form);
    if (!grantType) throw new InvalidRequest('grant_type is missing');
    throw new UnsupportedGrantType(`Unsupported grant_type: ${grantType}`);
  }

  /** The audit actor for what a client does at the token endpoint (no person is present). */
  clientActor(client: OAuthClientRow): Actor {
    return {
      type: 'oauth',
      id: null,
      label: `OAuth client ${client.name}`,
      roles: [],
      capabilities: new Set(),
      scopes: new Set(),
      oauthClientId: client.id,
    };
  }

  /** `sub` plus `email`/`name` as the scopes allow (ID token, userinfo). */
  userClaims(user: UserRow, scopes: readonly string[], sub: string): Record<string, unknown> {
    const claims: Record<string, unknown> = { sub };
    if (scopes.includes('email')) {
      claims.email = user.email;
      claims.email_verified = false;
    }
    if (scopes.includes('profile')) claims.name = user.name || user.email;
    return claims;
  }

  // ——— grants ———

  private async authorizationCode(
    ctx: Ctx,
    client: OAuthClientRow,
    form: URLSearchParams,
  ): Promise<TokenResponse> {
    const code = required(form, 'code');
    const redirectUri = required(form, 'redirect_uri');
    const verifier = form.get('code_verifier');
    if (!verifier) throw new InvalidRequest('code_verifier is missing (PKCE is required)');
    const codeHash = sha256(code);
    const now = new Date();
    const issued = await ctx.db.transaction(async (tx): Promise<Issue | null> => {
      const row = await consumeCode(tx, codeHash, now);
      if (!row) return null;
      if (row.clientId !== client.id)
        throw new InvalidGrant('The authorization code was issued to another client');
      if (row.expiresAt.getTime() <= now.getTime())
        throw new InvalidGrant('The authorization code has expired');
      if (row.redirectUri !== redirectUri)
        throw new InvalidGrant('redirect_uri does not match the authorization request');
      if (!verifierMatches(verifier, row.codeChallenge))
        throw new InvalidGrant('code_verifier does not match the code_challenge');
      const resource = form.get('resource');
      if (resource !== null && resource !== row.audience)
        throw new InvalidTarget('resource differs from the one authorized');
      const owner = await this.deps.users.actorFor(tx, row.userId);
      if (!owner) throw new InvalidGrant('The user is disabled');
      const grant = await insertGrant(tx, {
        clientId: client.id,
        userId: row.userId,
        scopes: row.scopes,
        audience: row.audience,
        authTime: row.authTime,
        expiresAt: new Date(now.getTime() + GRANT_MAX_AGE_MS),
      });
      await setCodeGrant(tx, codeHash, grant.id);
      const refreshToken = await this.newRefreshToken(tx, grant, row.scopes, now);
      return { grant, scopes: row.scopes, refreshToken, nonce: row.nonce };
    });
    if (!issued) {
      await this.revokeOnCodeReuse(ctx, client, codeHash);
      throw new InvalidGrant('The authorization code is invalid, expired or already used');
    }
    return this.respond(issued, client);
  }

  private async refreshToken(
    ctx: Ctx,
    client: OAuthClientRow,
    form: URLSearchParams,
  ): Promise<TokenResponse> {
    const presented = required(form, 'refresh_token');
    const hash = sha256(presented);
    const now = new Date();
    const issued = await ctx.db.transaction(async (tx): Promise<Issue | null> => {
      const row = await useRefreshToken(tx, hash, now);
      if (!row) return null;
      if (row.clientId !== client.id)
        throw new InvalidGrant('The refresh token was issued to another client');
      if (row.expiresAt.getTime() <= now.getTime()) throw new InvalidGrant('The refresh token has expired');
      const grant = await findGrant(tx, row.grantId);
      if (!grant || grant.revokedAt || grant.expiresAt.getTime() <= now.getTime())
        throw new InvalidGrant('The refresh token has been revoked');
      const owner = await this.deps.users.actorFor(tx, grant.userId);
      if (!owner) throw new InvalidGrant('The user is disabled');
      const asked = form.get('scope');
      const scopes = asked === null ? row.scopes : parseScopeParam(asked);
      const wider = scopes.filter((s) => !row.scopes.includes(s));
      if (wider.length) throw new InvalidScope(`Not granted before: ${wider.join(' ')}`);
      const refreshToken = await this.newRefreshToken(tx, grant, row.scopes, now);
      return { grant, scopes, refreshToken, nonce: null };
    });
    if (!issued) {
      await this.revokeOnReplay(ctx, client, hash);
      throw new InvalidGrant('The refresh token is invalid, expired, revoked or already used');
    }
    return this.respond(issued, client);
  }

  private async clientCredentials(
    ctx: Ctx,
    client: OAuthClientRow,
    form: URLSearchParams,
  ): Promise<TokenResponse> {
    if (client.isPublic) throw new UnauthorizedClient('client_credentials is for confidential clients');
    if (!client.serviceUserId)
      throw new UnauthorizedClient('This client has no service identity (an administrator can choose one)');
    const apiScopes = client.scopes.filter((s) => !(OIDC_SCOPES as readonly string[]).includes(s));
    const asked = form.get('scope');
    const scopes = asked === null ? apiScopes : parseScopeParam(asked);
    const notAllowed = scopes.filter((s) => !apiScopes.includes(s));
    if (notAllowed.length) throw new InvalidScope(`This client may not request: ${notAllowed.join(' ')}`);
    if (scopes.length === 0) throw new InvalidScope('scope is empty');
    const resource = form.get('resource');
    if (resource !== null && !this.deps.resources().includes(resource))
      throw new InvalidTarget('Unknown resource');
    const owner = await this.deps.users.actorFor(ctx.db, client.serviceUserId);
    if (!owner) throw new UnauthorizedClient('The service identity of this client is disabled');
    const now = new Date();
    const grant = await insertGrant(ctx.db, {
      clientId: client.id,
      userId: client.serviceUserId,
      scopes,
      audience: resource ?? this.deps.issuer(),
      authTime: null,
      expiresAt: new Date(now.getTime() + ACCESS_TOKEN_TTL_S * 1000),
    });
    return this.respond({ grant, scopes, refreshToken: null, nonce: null }, client);
  }

  // ——— pieces ———

  private async newRefreshToken(
    db: Queryable,
    grant: GrantRow,
    scopes: string[],
    now: Date,
  ): Promise<string> {
    const token = randomToken(32);
    await insertRefreshToken(db, {
      tokenHash: sha256(token),
      grantId: grant.id,
      clientId: grant.clientId,
      scopes,
      expiresAt: new Date(Math.min(now.getTime() + REFRESH_TOKEN_TTL_MS, grant.expiresAt.getTime())),
    });
    return token;
  }

  private async respond(issued: Issue, client: OAuthClientRow): Promise<TokenResponse> {
    const { grant, scopes } = issued;
    const scope = formatScopes(scopes);
    const access = await signAccessToken(this.deps.keys, {
      issuer: this.deps.issuer(),
      subject: grant.userId,
      audience: grant.audience,
      clientId: client.id,
      scope,
      grantId: grant.id,
    });
    const body: TokenResponse = {
      access_token: access.token,
      token_type: 'Bearer',
      expires_in: access.expiresIn,
      scope,
    };
    if (issued.refreshToken) body.refresh_token = issued.refreshToken;
    if (scopes.includes('openid') && grant.authTime) {
      const user = await loadUser(this.deps.db, grant.userId);
      body.id_token = await signIdToken(this.deps.keys, {
        issuer: this.deps.issuer(),
        subject: grant.userId,
        clientId: client.id,
        accessToken: access.token,
        authTime: grant.authTime,
        nonce: issued.nonce,
        claims: this.userClaims(user, scopes, grant.userId),
      });
    }
    return body;
  }

  private async revokeOnCodeReuse(ctx: Ctx, client: OAuthClientRow, codeHash: string): Promise<void> {
    const used = await findCode(ctx.db, codeHash);
    if (!used?.consumedAt || !used.grantId) return;
    const revoked = await revokeGrant(ctx.db, used.grantId, 'code_reuse', new Date());
    if (revoked)
      await this.deps.audit.record(
        { ...ctx, actor: this.clientActor(client) },
        {
          action: 'oauth.code_reuse',
          targetType: 'oauth_grant',
          targetId: revoked.id,
          details: { client: client.id, user: revoked.userId },
        },
      );
  }

  private async revokeOnReplay(ctx: Ctx, client: OAuthClientRow, hash: string): Promise<void> {
    const row = await findRefreshToken(ctx.db, hash);
    if (!row?.usedAt || row.clientId !== client.id) return;
    const revoked = await revokeGrant(ctx.db, row.grantId, 'refresh_replay', new Date());
    if (revoked)
      await this.deps.audit.record(
        { ...ctx, actor: this.clientActor(client) },
        {
          action: 'oauth.refresh_replay',
          targetType: 'oauth_grant',
          targetId: revoked.id,
          details: { client: client.id, user: revoked.userId },
        },
      );
  }
}

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (!value) throw new InvalidRequest(`${name} is missing`);
  return value;
}
