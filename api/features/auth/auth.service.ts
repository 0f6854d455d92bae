/**
 * Local accounts and browser sessions: sign-up (policy from settings), sign-in (throttled, no account
 * enumeration), sessions (random 32-byte token in the cookie, only its SHA-256 stored, 30-day sliding
 * expiry refreshed at most every 5 minutes), password change and admin reset, sign-up policy.
 */
import { z } from 'zod';
import { afterCommit } from '../../../db/after-commit';
import type { Config } from '../../config';
import { assertCan, assertSignedIn } from '../../lib/authz';
import { randomToken, sha256 } from '../../lib/crypto';
import { type Ctx, userActor } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import type { HotCaches, TtlCache } from '../../lib/hot-cache';
import { parseInput } from '../../lib/validate';
import { revokeKeysOfUser } from '../api-keys/api-keys.repo';
import type { AuditService } from '../audit/audit.service';
import type { RolesService } from '../roles/roles.service';
import type { SettingsService } from '../settings/settings.service';
import { anyUserExists, findUserByEmail, findUserById, type UserRow, updateUser } from '../users/users.repo';
import { loadUser, toUserView, type UsersService, type UserView, viewOfUser } from '../users/users.service';
import {
  ChangePasswordInput,
  type NewSession,
  type ResolvedSession,
  SESSION_REFRESH_MS,
  SESSION_TTL_MS,
  type SessionView,
  SignInInput,
  SignUpInput,
  type SignupPolicy,
  SignupPolicyInput,
  sessionView,
} from './auth.schemas';
import { clearSessionCookie, readSessionToken, sessionCookie } from './cookie';
import { dummyVerify, hashPassword, Password, passwordNotEmail, verifyPassword } from './password';
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
import {
  DEFAULT_SIGNIN_IP_LIMIT,
  DEFAULT_SIGNUP_IP_LIMIT,
  SignInThrottle,
  ThrottledError,
  type ThrottleLimits,
} from './throttle';

export * from './auth.schemas';

export interface AuthServiceDeps {
  config: Config;
  caches: HotCaches;
  audit: AuditService;
  settings: SettingsService;
  users: UsersService;
  roles: RolesService;
  throttle?: ThrottleLimits;
}

export class AuthService {
  readonly throttle: SignInThrottle;
  /** Live sessions by token hash (without the sliding cookie, which only a refresh sends). */
  private readonly sessions: TtlCache<Omit<ResolvedSession, 'cookie'>>;

  constructor(private readonly deps: AuthServiceDeps) {
    this.throttle = new SignInThrottle(deps.throttle);
    this.sessions = deps.caches.create({ max: 50_000 });
  }

  // ——— sign-up / sign-in ———

  async signupPolicy(ctx: Ctx): Promise<SignupPolicy> {
    const { settings } = this.deps;
    const domains = (await settings.get(ctx, 'auth.signup_domains')) ?? '';
    return {
      signupEnabled: await settings.getBoolean(ctx, 'auth.signup_enabled', true),
      signupDomains: domains
        .split(',')
        .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
        .filter(Boolean),
      defaultRole: await this.deps.users.defaultRole(ctx),
    };
  }

  /** The policy for the admin console. */
  async viewSignupPolicy(ctx: Ctx): Promise<SignupPolicy> {
    assertCan(ctx.actor, 'admin:settings');
    return this.signupPolicy(ctx);
  }

  async setSignupPolicy(ctx: Ctx, input: z.input<typeof SignupPolicyInput>): Promise<SignupPolicy> {
    assertCan(ctx.actor, 'admin:settings');
    const data = parseInput(SignupPolicyInput, input, 'settings');
    if (data.defaultRole) await this.deps.roles.resolveNames(ctx, [data.defaultRole], 'defaultRole');
    const { settings } = this.deps;
    if (data.signupEnabled !== undefined)
      await settings.set(ctx, { key: 'auth.signup_enabled', value: String(data.signupEnabled) });
    if (data.signupDomains !== undefined)
      await settings.set(ctx, {
        key: 'auth.signup_domains',
        value: [...new Set(data.signupDomains)].join(','),
      });
    if (data.defaultRole !== undefined)
      await settings.set(ctx, { key: 'auth.default_role', value: data.defaultRole });
    return this.signupPolicy(ctx);
  }

  /** Whether the sign-up page should offer a form (the first account is always allowed). */
  async signupOpen(ctx: Ctx): Promise<boolean> {
    const policy = await this.signupPolicy(ctx);
    return policy.signupEnabled || !(await this.anyUser(ctx));
  }

  /** Creates an account and signs it in (services, tests and the CLI; the public form uses `register`). */
  async signUp(
    ctx: Ctx,
    input: z.input<typeof SignUpInput>,
    meta: { userAgent?: string | null } = {},
  ): Promise<{ user: UserView; session: NewSession }> {
    const created = await this.createAccount(ctx, input);
    const session = await this.createSession(ctx, created.user.id, meta);
    return { user: created.view, session };
  }

  /**
   * The public sign-up form (issue 9.9). A new address and one that already has an account get the same
   * answer, `{ session: null }` ("if this address can be used, its account is ready: sign in"), after the
   * same work (validation, password hash, the account lock), so the form tells nobody who has an account.
   * Only the very first account — the administrator of an empty database, where there is nobody to
   * enumerate — is signed in at once. Policy refusals (sign-up off, domain, weak password) still name the
   * field: they say nothing about existing accounts. Throttled per IP (`auth.signup_ip_limit`).
   */
  async register(
    ctx: Ctx,
    input: z.input<typeof SignUpInput>,
    meta: { userAgent?: string | null } = {},
  ): Promise<{ session: NewSession | null }> {
    this.throttle.signUp(
      ctx.ip,
      await this.deps.settings.getNumber(ctx, 'auth.signup_ip_limit', DEFAULT_SIGNUP_IP_LIMIT),
    );
    try {
      const created = await this.createAccount(ctx, input);
      return { session: created.first ? await this.createSession(ctx, created.user.id, meta) : null };
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'conflict:users') throw err;
      await this.deps.audit.record(ctx, {
        action: 'auth.signup_existing',
        details: { email: parseInput(SignUpInput, input, 'auth').email },
      });
      return { session: null };
    }
  }

  private async createAccount(
    ctx: Ctx,
    input: z.input<typeof SignUpInput>,
  ): Promise<{ user: UserRow; view: UserView; first: boolean }> {
    const data = parseInput(SignUpInput, input, 'auth');
    if (await this.anyUser(ctx)) {
      const policy = await this.signupPolicy(ctx);
      if (!policy.signupEnabled)
        throw new AppError('forbidden:auth', 'Sign-up is turned off. Ask an administrator for an account.');
      const domain = data.email.split('@')[1] ?? '';
      if (policy.signupDomains.length && !policy.signupDomains.includes(domain)) {
        throw new AppError('forbidden:auth', `Sign-up is limited to: ${policy.signupDomains.join(', ')}`, {
          details: {
            fields: { email: `must end with ${policy.signupDomains.map((d) => `@${d}`).join(' or ')}` },
          },
        });
      }
    }
    const passwordHash = await hashPassword(data.password);
    const created = await ctx.db.transaction(async (tx) => {
      const result = await this.deps.users.insertWithInitialRoles(ctx, tx, {
        email: data.email,
        name: data.name,
        passwordHash,
      });
      await this.deps.audit.record(
        { ...ctx, db: tx, actor: userActor({ user: result.user, roles: result.roles, capabilities: [] }) },
        {
          action: 'auth.signup',
          targetType: 'user',
          targetId: result.user.id,
          details: { roles: result.roles },
        },
      );
      return result;
    });
    const view = toUserView(
      created.user,
      created.roles.map((name) => ({ name, source: 'manual' })),
    );
    return { user: created.user, view, first: created.first };
  }

  /**
   * E-mail + password. Unknown e-mail and wrong password answer the same error after the same work (a
   * dummy scrypt runs for unknown accounts); failures count per e-mail and per IP → 429 + Retry-After.
   */
  async signIn(
    ctx: Ctx,
    input: z.input<typeof SignInInput>,
    meta: { userAgent?: string | null } = {},
  ): Promise<{ user: UserView; session: NewSession }> {
    const { email, password } = parseInput(SignInInput, input, 'auth');
    await this.checkThrottle(ctx, email);
    const user = await findUserByEmail(ctx.db, email);
    const ok = user?.passwordHash
      ? await verifyPassword(password, user.passwordHash)
      : await dummyVerify(password);
    if (!user || !ok) {
      this.throttle.fail(email, ctx.ip);
      await this.recordFailedSignIn(ctx, email, user ? 'wrong_password' : 'unknown_account', user?.id);
      throw new AppError('unauthorized:auth', 'Incorrect e-mail or password');
    }
    if (user.status !== 'active') {
      await this.recordFailedSignIn(ctx, email, 'disabled', user.id);
      throw new AppError('forbidden:auth', 'This account is disabled');
    }
    this.throttle.succeed(email);
    const session = await this.createSession(ctx, user.id, meta);
    return { user: await viewOfUser(ctx.db, user), session };
  }

  /** 429 while the account backs off or the IP has spent its failures; the refusal is audited too. */
  private async checkThrottle(ctx: Ctx, email: string): Promise<void> {
    const ipLimit = await this.deps.settings.getNumber(ctx, 'auth.signin_ip_limit', DEFAULT_SIGNIN_IP_LIMIT);
    try {
      this.throttle.check(email, ctx.ip, ipLimit);
    } catch (err) {
      if (err instanceof ThrottledError) await this.recordFailedSignIn(ctx, email, err.reason);
      throw err;
    }
  }

  /** A failed sign-in in the audit log: the e-mail tried, the reason and (from ctx) the IP; never the password. */
  private recordFailedSignIn(ctx: Ctx, email: string, reason: string, userId?: string): Promise<void> {
    return this.deps.audit.record(ctx, {
      action: 'auth.signin_failed',
      targetType: userId ? 'user' : undefined,
      targetId: userId,
      details: { email, reason },
    });
  }

  // ——— sessions ———

  /** A new session for a user who just proved who they are (password, SSO). Updates last login. */
  async createSession(
    ctx: Ctx,
    userId: string,
    meta: { userAgent?: string | null } = {},
  ): Promise<NewSession> {
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
    afterCommit(() => this.deps.users.forgetView(userId)); // last login is in the view
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
  async resolveSession(ctx: Ctx, token: string): Promise<ResolvedSession | null> {
    const now = new Date();
    const hash = sha256(token);
    const hit = this.sessions.get(hash);
    if (
      hit &&
      hit.session.expiresAt > now &&
      now.getTime() - hit.session.lastSeenAt.getTime() < SESSION_REFRESH_MS
    )
      return hit;
    const found = await findLiveSession(ctx.db, hash, now);
    if (!found) {
      this.sessions.delete(hash);
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
    this.sessions.set(hash, { actor, user, session });
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
  deleteExpiredSessions(ctx: Ctx): Promise<number> {
    return deleteExpiredSessions(ctx.db, new Date());
  }

  async listMySessions(ctx: Ctx): Promise<SessionView[]> {
    assertSignedIn(ctx.actor);
    return (await listSessionsOfUser(ctx.db, ctx.actor.id, new Date())).map((s) =>
      sessionView(s, ctx.actor.sessionId),
    );
  }

  async revokeMySession(ctx: Ctx, sessionId: string): Promise<void> {
    assertSignedIn(ctx.actor);
    const ok =
      z.uuid().safeParse(sessionId).success && (await deleteSession(ctx.db, sessionId, ctx.actor.id));
    if (!ok) throw new AppError('not_found:sessions', 'No such session');
    this.deps.caches.changed(); // not an audited change, so announce it here
  }

  async listUserSessions(ctx: Ctx, userId: string): Promise<SessionView[]> {
    assertCan(ctx.actor, 'admin:users');
    await loadUser(ctx.db, userId);
    return (await listSessionsOfUser(ctx.db, userId, new Date())).map((s) =>
      sessionView(s, ctx.actor.sessionId),
    );
  }

  async revokeUserSessions(ctx: Ctx, userId: string): Promise<{ revoked: number }> {
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

  // ——— passwords ———

  /** The signed-in user's own change: needs the current password (unless none is set); ends other sessions. */
  async changePassword(
    ctx: Ctx,
    input: z.input<typeof ChangePasswordInput>,
  ): Promise<{ sessionsEnded: number; apiKeysRevoked: number }> {
    assertSignedIn(ctx.actor);
    const data = parseInput(ChangePasswordInput, input, 'auth');
    const user = await findUserById(ctx.db, ctx.actor.id);
    if (!user) throw new AppError('unauthorized:auth', 'Sign in to continue');
    parseInput(
      z.object({ email: z.string(), password: z.string() }).superRefine(passwordNotEmail),
      {
        email: user.email,
        password: data.newPassword,
      },
      'auth',
    );
    if (user.passwordHash) {
      await this.checkThrottle(ctx, user.email);
      if (!(await verifyPassword(data.currentPassword, user.passwordHash))) {
        this.throttle.fail(user.email, ctx.ip);
        throw new AppError('validation:auth', 'The current password is not correct', {
          details: { fields: { currentPassword: 'is not correct' } },
        });
      }
    }
    await updateUser(ctx.db, user.id, { passwordHash: await hashPassword(data.newPassword) });
    const sessionsEnded = await deleteSessionsOfUser(ctx.db, user.id, ctx.actor.sessionId);
    // Keys made under the old password may be what leaked: they stop working too (issue 9.10).
    const apiKeysRevoked = await revokeKeysOfUser(ctx.db, user.id, new Date());
    await this.deps.audit.record(ctx, {
      action: 'auth.password_change',
      targetType: 'user',
      targetId: user.id,
      details: { sessionsEnded, apiKeysRevoked },
    });
    return { sessionsEnded, apiKeysRevoked };
  }

  /** Admin (or CLI) reset: sets a new password and ends every session of that user. */
  async setPassword(
    ctx: Ctx,
    userId: string,
    password: string,
  ): Promise<{ sessionsEnded: number; apiKeysRevoked: number }> {
    assertCan(ctx.actor, 'admin:users');
    const user = await loadUser(ctx.db, userId);
    const data = parseInput(
      z.object({ email: z.string(), password: Password }).superRefine(passwordNotEmail),
      { email: user.email, password },
      'auth',
    );
    await updateUser(ctx.db, user.id, { passwordHash: await hashPassword(data.password) });
    const sessionsEnded = await deleteSessionsOfUser(ctx.db, user.id);
    const apiKeysRevoked = await revokeKeysOfUser(ctx.db, user.id, new Date());
    this.throttle.succeed(user.email);
    await this.deps.audit.record(ctx, {
      action: 'users.password_reset',
      targetType: 'user',
      targetId: user.id,
      details: { sessionsEnded, apiKeysRevoked },
    });
    return { sessionsEnded, apiKeysRevoked };
  }

  // ——— helpers ———

  /** The signed-in user with roles and capabilities (for /api/auth/session and the UI). */
  async current(ctx: Ctx): Promise<{ user: UserView; capabilities: string[] }> {
    assertSignedIn(ctx.actor);
    return {
      user: await this.deps.users.ownView(ctx.db, ctx.actor.id),
      capabilities: [...ctx.actor.capabilities].sort(),
    };
  }

  cookieFor(token: string): string {
    return sessionCookie(token, {
      secure: this.deps.config.secureCookies,
      maxAgeSeconds: SESSION_TTL_MS / 1000,
    });
  }

  /** The session token in a Cookie header (for Remix actions, which cannot import this module). */
  tokenFromCookie(cookieHeader: string | null | undefined): string | null {
    return readSessionToken(cookieHeader);
  }

  clearCookie(): string {
    return clearSessionCookie({ secure: this.deps.config.secureCookies });
  }

  private anyUser(ctx: Ctx): Promise<boolean> {
    return anyUserExists(ctx.db);
  }
}
