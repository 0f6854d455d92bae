/**
 * Local accounts and browser sessions: sign-up (policy from settings: signup-policy.ts), sign-in
 * (throttled, no account enumeration: sign-in-guard.ts), sessions (auth.sessions.ts), password change and
 * admin reset (auth.passwords.ts). This service is the one entry point; the parts keep one purpose each.
 */
import type { z } from 'zod';
import type { Config } from '../../config';
import { assertSignedIn } from '../../lib/authz';
import { type Ctx, userActor } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import type { HotCaches } from '../../lib/hot-cache';
import type { Logger } from '../../lib/logger';
import { parseInput } from '../../lib/validate';
import type { AuditService } from '../audit/audit.service';
import type { RolesService } from '../roles/roles.service';
import type { SettingsService } from '../settings/settings.service';
import { anyUserExists, findUserByEmail, type UserRow } from '../users/users.repo';
import { toUserView, type UsersService, type UserView, viewOfUser } from '../users/users.service';
import { Passwords } from './auth.passwords';
import {
  type ChangePasswordInput,
  type NewSession,
  type ResolvedSession,
  type SessionView,
  SignInInput,
  SignUpInput,
  type SignupPolicy,
  type SignupPolicyInput,
} from './auth.schemas';
import { Sessions } from './auth.sessions';
import { readSessionToken } from './cookie';
import { dummyVerify, hashPassword, verifyPassword } from './password';
import { SignInGuard } from './sign-in-guard';
import { SignupPolicies } from './signup-policy';
import { DEFAULT_SIGNUP_IP_LIMIT, type Throttle, type ThrottleLimits } from './throttle';
import type { SharedRedis } from './throttle.redis';

export * from './auth.schemas';

export interface AuthServiceDeps {
  config: Config;
  caches: HotCaches;
  audit: AuditService;
  settings: SettingsService;
  users: UsersService;
  roles: RolesService;
  throttle?: ThrottleLimits;
  /** With REDIS_URL: the throttle's counters are shared through Redis (throttle.redis.ts). */
  redis?: SharedRedis;
  log?: Logger;
}

export class AuthService {
  readonly throttle: Throttle;
  private readonly guard: SignInGuard;
  private readonly policies: SignupPolicies;
  private readonly sessions: Sessions;
  private readonly passwords: Passwords;

  constructor(private readonly deps: AuthServiceDeps) {
    this.guard = new SignInGuard({
      audit: deps.audit,
      settings: deps.settings,
      limits: deps.throttle,
      redis: deps.redis,
      log: deps.log,
    });
    this.throttle = this.guard.throttle;
    this.policies = new SignupPolicies(deps);
    this.sessions = new Sessions(deps);
    this.passwords = new Passwords({ audit: deps.audit, guard: this.guard });
  }

  // ——— sign-up policy (signup-policy.ts) ———

  signupPolicy(ctx: Ctx): Promise<SignupPolicy> {
    return this.policies.get(ctx);
  }

  /** The policy for the admin console. */
  viewSignupPolicy(ctx: Ctx): Promise<SignupPolicy> {
    return this.policies.view(ctx);
  }

  setSignupPolicy(ctx: Ctx, input: z.input<typeof SignupPolicyInput>): Promise<SignupPolicy> {
    return this.policies.set(ctx, input);
  }

  /** Whether the sign-up page should offer a form (the first account is always allowed). */
  signupOpen(ctx: Ctx): Promise<boolean> {
    return this.policies.open(ctx);
  }

  // ——— sign-up / sign-in ———

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
    await this.throttle.signUp(
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
    if (await anyUserExists(ctx.db)) {
      const policy = await this.policies.get(ctx);
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
    await this.guard.check(ctx, email);
    const user = await findUserByEmail(ctx.db, email);
    const ok = user?.passwordHash
      ? await verifyPassword(password, user.passwordHash)
      : await dummyVerify(password);
    if (!user || !ok) {
      await this.throttle.fail(email, ctx.ip);
      await this.guard.recordFailure(ctx, email, user ? 'wrong_password' : 'unknown_account', user?.id);
      throw new AppError('unauthorized:auth', 'Incorrect e-mail or password');
    }
    if (user.status !== 'active') {
      await this.guard.recordFailure(ctx, email, 'disabled', user.id);
      throw new AppError('forbidden:auth', 'This account is disabled');
    }
    await this.throttle.succeed(email);
    const session = await this.createSession(ctx, user.id, meta);
    return { user: await viewOfUser(ctx.db, user), session };
  }

  // ——— sessions (auth.sessions.ts) ———

  /** A new session for a user who just proved who they are (password, SSO). Updates last login. */
  createSession(ctx: Ctx, userId: string, meta: { userAgent?: string | null } = {}): Promise<NewSession> {
    return this.sessions.create(ctx, userId, meta);
  }

  /** The session behind a cookie token, with its actor; null when unknown, expired or the user is disabled. */
  resolveSession(ctx: Ctx, token: string): Promise<ResolvedSession | null> {
    return this.sessions.resolve(ctx, token);
  }

  /** Ends the session behind `token` (if any) and returns the header that clears the cookie. */
  signOut(ctx: Ctx, token: string | null): Promise<{ cookie: string }> {
    return this.sessions.signOut(ctx, token);
  }

  /** For the hourly cleanup job. */
  deleteExpiredSessions(ctx: Ctx): Promise<number> {
    return this.sessions.deleteExpired(ctx);
  }

  listMySessions(ctx: Ctx): Promise<SessionView[]> {
    return this.sessions.listMine(ctx);
  }

  revokeMySession(ctx: Ctx, sessionId: string): Promise<void> {
    return this.sessions.revokeMine(ctx, sessionId);
  }

  listUserSessions(ctx: Ctx, userId: string): Promise<SessionView[]> {
    return this.sessions.listOfUser(ctx, userId);
  }

  revokeUserSessions(ctx: Ctx, userId: string): Promise<{ revoked: number }> {
    return this.sessions.revokeOfUser(ctx, userId);
  }

  cookieFor(token: string): string {
    return this.sessions.cookieFor(token);
  }

  clearCookie(): string {
    return this.sessions.clearCookie();
  }

  /** The session token in a Cookie header (for Remix actions, which cannot import this module). */
  tokenFromCookie(cookieHeader: string | null | undefined): string | null {
    return readSessionToken(cookieHeader);
  }

  // ——— passwords (auth.passwords.ts) ———

  /** The signed-in user's own change: needs the current password (unless none is set); ends other sessions. */
  changePassword(
    ctx: Ctx,
    input: z.input<typeof ChangePasswordInput>,
  ): Promise<{ sessionsEnded: number; apiKeysRevoked: number }> {
    return this.passwords.change(ctx, input);
  }

  /** Admin (or CLI) reset: sets a new password and ends every session of that user. */
  setPassword(
    ctx: Ctx,
    userId: string,
    password: string,
  ): Promise<{ sessionsEnded: number; apiKeysRevoked: number }> {
    return this.passwords.set(ctx, userId, password);
  }

  // ——— the signed-in person ———

  /** The signed-in user with roles and capabilities (for /api/auth/session and the UI). */
  async current(ctx: Ctx): Promise<{ user: UserView; capabilities: string[] }> {
    assertSignedIn(ctx.actor);
    return {
      user: await this.deps.users.ownView(ctx.db, ctx.actor.id),
      capabilities: [...ctx.actor.capabilities].sort(),
    };
  }
}
