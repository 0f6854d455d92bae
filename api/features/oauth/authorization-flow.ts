/**
 * The authorization endpoint and the consent page (OAuth 2.1 §4.1.1, OIDC Core §3.1.2): checks the request,
 * asks the person (or uses their remembered consent), records the decision and issues the code.
 */

import { assertSignedIn } from '../../lib/authz';
import { randomToken, sha256 } from '../../lib/crypto';
import type { Ctx } from '../../lib/ctx';
import { safeNext } from '../../lib/safe-next';
import type { AuditService } from '../audit/audit.service';
import { loadUser } from '../users/users.service';
import {
  AuthorizationFailure,
  type AuthorizationRequest,
  authorizationResponse,
  checkAuthorizationRequest,
} from './authorization-request';
import type { OAuthClientsService } from './clients.service';
import { findConsent, insertCode, sessionStartedAt, upsertConsent } from './grants.repo';
import { AccessDenied, ConsentRequired, InvalidRequest, LoginRequired } from './oauth.errors';
import { scopeInWords } from './oauth.scopes';
import { formActionSource, redirectHost } from './redirect-uri';

export const CODE_TTL_MS = 60_000;
export const CONSENT_PATH = '/oauth/consent';

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

export class AuthorizationFlow {
  constructor(
    private readonly deps: {
      audit: AuditService;
      clients: OAuthClientsService;
      issuer: () => string;
      resources: () => string[];
    },
  ) {}

  private issuer(): string {
    return this.deps.issuer();
  }

  private resources(): string[] {
    return this.deps.resources();
  }

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
}
