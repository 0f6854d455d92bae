/**
 * Browser sessions: a random 32-byte token in the cookie, only its SHA-256 stored, 30-day sliding expiry
 * refreshed at most every 5 minutes; live sessions served from a hot cache between refreshes
 * (lib/hot-cache.ts says what clears it); listing and ending them.
 */
import { z } from 'zod';
import { afterCommit } from '../../../db/after-commit';
import type { Config } from '../../config';
import { assertCan, assertSignedIn } from '../../lib/authz';
import { randomToken, sha256 } from '../../lib/crypto';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import type { HotCaches, TtlCache } from '../../lib/hot-cache';
import type { AuditService } from '../audit/audit.service';
import { updateUser } from '../users/users.repo';
import { loadUser, type UsersService } from '../users/users.service';
import {
  type NewSession,
  type ResolvedSession,
  SESSION_REFRESH_MS,
  SESSION_TTL_MS,
  type SessionView,
  sessionView,
} from './auth.schemas';
import { clearSessionCookie, sessionCookie } from './cookie';
import {
  deleteExpiredSessions,
  deleteSession,
  deleteSessionByHash,
  deleteSessionsOfUser,
  extendSession,
  findLiveSession,
  insertSession,
  listSessionsOfUser,
} from './sessions.repo';

export class Sessions {
  /** Live sessions by token hash (without the sliding cookie, which only a refresh sends). */
  private readonly cache: TtlCache<Omit<ResolvedSession, 'cookie'>>;

  constructor(
    private readonly deps: { config: Config; caches: HotCaches; audit: AuditService; users: UsersService },
  ) {
    this.cache = deps.caches.create({ max: 50_000 });
  }

  /** A new session for a user who just proved who they are (password, SSO). Updates last login. */
  async create(ctx: Ctx, userId: string, meta: { userAgent?: string | null } = {}): Promise<NewSession> {
    const token = randomToken(32);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    const row = await insertSession(ctx.db, {
      tokenHash: sha256(token),
      userId,
      expiresAt,
      ip: ctx.ip,
      userAgent: meta.userAgent?.slice(0, 500) ?? null,
      lastSeenAt: now,
    });
    const user = await updateUser(ctx.db, userId, { lastLoginAt: now });
    afterCommit(ctx.db, () => this.deps.users.forgetView(userId)); // last login is in the view
    if (user) {
      const actor = await this.deps.users.actorFromRow(ctx.db, user, { sessionId: row.id });
      await this.deps.audit.record(
        { ...ctx, actor },
        { action: 'auth.signin', targetType: 'user', targetId: userId },
      );
    }
    return { token, cookie: this.cookieFor(token), sessionId: row.id, expiresAt };
  }

  /**
   * The session behind a cookie token, with its actor; null when unknown, expired or the user is disabled.
   * Live sessions are served from the hot cache between refreshes (lib/hot-cache.ts says what clears it).
   */
  async resolve(ctx: Ctx, token: string): Promise<ResolvedSession | null> {
    const now = new Date();
    const hash = sha256(token);
    const hit = this.cache.get(hash);
    if (
      hit &&
      hit.session.expiresAt > now &&
      now.getTime() - hit.session.lastSeenAt.getTime() < SESSION_REFRESH_MS
    )
      return hit;
    const found = await findLiveSession(ctx.db, hash, now);
    if (!found) {
      this.cache.delete(hash);
      return null;
    }
    const { session, user } = found;
    let cookie: string | undefined;
    if (now.getTime() - session.lastSeenAt.getTime() >= SESSION_REFRESH_MS) {
      const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
      await extendSession(ctx.db, session.id, now, expiresAt);
      session.lastSeenAt = now;
      session.expiresAt = expiresAt;
      cookie = this.cookieFor(token);
    }
    const actor = await this.deps.users.actorFromRow(ctx.db, user, { sessionId: session.id });
    this.cache.set(hash, { actor, user, session });
    return { actor, user, session, cookie };
  }

  /** Ends the session behind `token` (if any) and returns the header that clears the cookie. */
  async signOut(ctx: Ctx, token: string | null): Promise<{ cookie: string }> {
    if (token) {
      const ended = await deleteSessionByHash(ctx.db, sha256(token));
      if (ended)
        await this.deps.audit.record(ctx, {
          action: 'auth.signout',
          targetType: 'user',
          targetId: ended.userId,
        });
    }
    return { cookie: this.clearCookie() };
  }

  /** For the hourly cleanup job. */
  deleteExpired(ctx: Ctx): Promise<number> {
    return deleteExpiredSessions(ctx.db, new Date());
  }

  async listMine(ctx: Ctx): Promise<SessionView[]> {
    assertSignedIn(ctx.actor);
    return (await listSessionsOfUser(ctx.db, ctx.actor.id, new Date())).map((s) =>
      sessionView(s, ctx.actor.sessionId),
    );
  }

  async revokeMine(ctx: Ctx, sessionId: string): Promise<void> {
    assertSignedIn(ctx.actor);
    const ok =
      z.uuid().safeParse(sessionId).success && (await deleteSession(ctx.db, sessionId, ctx.actor.id));
    if (!ok) throw new AppError('not_found:sessions', 'No such session');
    this.deps.caches.changed(); // not an audited change, so announce it here
  }

  async listOfUser(ctx: Ctx, userId: string): Promise<SessionView[]> {
    assertCan(ctx.actor, 'admin:users');
    await loadUser(ctx.db, userId);
    return (await listSessionsOfUser(ctx.db, userId, new Date())).map((s) =>
      sessionView(s, ctx.actor.sessionId),
    );
  }

  async revokeOfUser(ctx: Ctx, userId: string): Promise<{ revoked: number }> {
    assertCan(ctx.actor, 'admin:users');
    await loadUser(ctx.db, userId);
    const revoked = await deleteSessionsOfUser(ctx.db, userId);
    await this.deps.audit.record(ctx, {
      action: 'sessions.revoke_all',
      targetType: 'user',
      targetId: userId,
      details: { revoked },
    });
    return { revoked };
  }

  cookieFor(token: string): string {
    return sessionCookie(token, {
      secure: this.deps.config.secureCookies,
      maxAgeSeconds: SESSION_TTL_MS / 1000,
    });
  }

  clearCookie(): string {
    return clearSessionCookie({ secure: this.deps.config.secureCookies });
  }
}
