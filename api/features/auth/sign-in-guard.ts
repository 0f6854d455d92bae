/**
 * The sign-in throttle with its audit trail, shared by sign-in and password change: 429 while an account
 * backs off or an IP has spent its failures (the refusal audited), and failed attempts recorded.
 */
import type { Ctx } from '../../lib/ctx';
import type { Logger } from '../../lib/logger';
import type { AuditService } from '../audit/audit.service';
import type { SettingsService } from '../settings/settings.service';
import {
  DEFAULT_SIGNIN_IP_LIMIT,
  SignInThrottle,
  type Throttle,
  ThrottledError,
  type ThrottleLimits,
} from './throttle';
import { RedisSignInThrottle, type SharedRedis } from './throttle.redis';

export interface SignInGuardDeps {
  audit: AuditService;
  settings: SettingsService;
  limits?: ThrottleLimits;
  /** With REDIS_URL: the shared connection, so every process counts against one budget. */
  redis?: SharedRedis;
  log?: Logger;
}

export class SignInGuard {
  readonly throttle: Throttle;

  constructor(private readonly deps: SignInGuardDeps) {
    this.throttle =
      deps.redis && deps.log
        ? new RedisSignInThrottle({ redis: deps.redis, log: deps.log, limits: deps.limits })
        : new SignInThrottle(deps.limits);
  }

  /** 429 while the account backs off or the IP has spent its failures; the refusal is audited too. */
  async check(ctx: Ctx, email: string): Promise<void> {
    const ipLimit = await this.deps.settings.getNumber(ctx, 'auth.signin_ip_limit', DEFAULT_SIGNIN_IP_LIMIT);
    try {
      await this.throttle.check(email, ctx.ip, ipLimit);
    } catch (err) {
      if (err instanceof ThrottledError) await this.recordFailure(ctx, email, err.reason);
      throw err;
    }
  }

  /** A failed sign-in in the audit log: the e-mail tried, the reason and (from ctx) the IP; never the password. */
  recordFailure(ctx: Ctx, email: string, reason: string, userId?: string): Promise<void> {
    return this.deps.audit.record(ctx, {
      action: 'auth.signin_failed',
      targetType: userId ? 'user' : undefined,
      targetId: userId,
      details: { email, reason },
    });
  }
}
