/**
 * Failed sign-in throttling, per account (e-mail, whether or not it exists) and per client IP. Counters live
 * in this process's memory; several web instances each keep their own (a shared store is a later step).
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../lib/errors';

export interface ThrottleLimits {
  perAccount: number;
  perIp: number;
  windowSeconds: number;
}

export const DEFAULT_LIMITS: ThrottleLimits = { perAccount: 10, perIp: 50, windowSeconds: 15 * 60 };

function tooMany(msBeforeNext: number): AppError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError('rate_limit:auth', 'Too many failed sign-in attempts. Try again later.', {
    headers: { 'Retry-After': String(seconds) },
    details: { retryAfterSeconds: seconds },
  });
}

export class SignInThrottle {
  private readonly account: RateLimiterMemory;
  private readonly ip: RateLimiterMemory;

  constructor(private readonly limits: ThrottleLimits = DEFAULT_LIMITS) {
    this.account = new RateLimiterMemory({ points: limits.perAccount, duration: limits.windowSeconds });
    this.ip = new RateLimiterMemory({ points: limits.perIp, duration: limits.windowSeconds });
  }

  /** Throws 429 when either budget is already spent. */
  async check(email: string, ip: string | null): Promise<void> {
    const [a, i] = await Promise.all([this.account.get(email), this.ip.get(ip ?? 'unknown')]);
    if (a && a.consumedPoints >= this.limits.perAccount) throw tooMany(a.msBeforeNext);
    if (i && i.consumedPoints >= this.limits.perIp) throw tooMany(i.msBeforeNext);
  }

  /** Counts a failure; returns the 429 to answer when this failure spent the last attempt, else null. */
  async fail(email: string, ip: string | null): Promise<AppError | null> {
    const results = await Promise.all([
      this.account.consume(email).catch((r: unknown) => r),
      this.ip.consume(ip ?? 'unknown').catch((r: unknown) => r),
    ]);
    for (const r of results) {
      if (r instanceof RateLimiterRes && r.remainingPoints <= 0) return tooMany(r.msBeforeNext);
      if (!(r instanceof RateLimiterRes)) throw r;
    }
    return null;
  }

  /** A correct password clears the account's counter (not the IP's). */
  async succeed(email: string): Promise<void> {
    await this.account.delete(email);
  }
}
