/**
 * Sign-in and sign-up throttling for schools (issues 9.9, 9.10, 15.3), built once:
 * - per account (the e-mail tried, whether or not it exists): after `freeFailures` failures in a row, each
 *   further failure starts a backoff that doubles up to `maxDelaySeconds` (1 min). Inside the backoff every
 *   attempt answers 429 with Retry-After; once it has passed, the real owner's correct password works — an
 *   attacker can slow an account down but never lock its owner out for long (SSO is never throttled here).
 * - per client IP (TRUST_PROXY decides what that is): failed sign-ins per 15 minutes, sized for a school
 *   building behind one public address (setting `auth.signin_ip_limit`, default 300); sign-ups per 15 minutes
 *   (`auth.signup_ip_limit`, default 100).
 * `SignInThrottle` keeps the counters in this process's memory; with REDIS_URL, throttle.redis.ts keeps them
 * in Redis so every process and instance shares one budget (and falls back to this one while Redis is down).
 */
import { AppError } from '../../lib/errors';
import { wholeNumberSetting } from '../settings/setting-schemas';
import { defineSettings } from '../settings/settings.registry';

export interface ThrottleLimits {
  /** Failures in a row before the backoff starts. */
  freeFailures: number;
  /** The backoff's ceiling. */
  maxDelaySeconds: number;
  /** Failures and sign-ups are counted per IP over this window; an account's streak resets after it. */
  windowSeconds: number;
}

export const DEFAULT_LIMITS: ThrottleLimits = {
  freeFailures: 5,
  maxDelaySeconds: 60,
  windowSeconds: 15 * 60,
};
export const DEFAULT_SIGNIN_IP_LIMIT = 300;
export const DEFAULT_SIGNUP_IP_LIMIT = 100;
/** Entries kept per map before the oldest go (a flood of made-up e-mails cannot grow memory without bound). */
const MAX_ENTRIES = 100_000;

defineSettings([
  {
    key: 'auth.signin_ip_limit',
    label: 'Failed sign-ins allowed per IP address (15 minutes)',
    category: 'limits',
    description:
      'Failed sign-ins allowed from one IP address per 15 minutes (a school building shares one address); each account also backs off on its own after 5 failures',
    default: String(DEFAULT_SIGNIN_IP_LIMIT),
    schema: wholeNumberSetting(1, 1_000_000),
  },
  {
    key: 'auth.signup_ip_limit',
    label: 'Sign-ups allowed per IP address (15 minutes)',
    category: 'limits',
    description: 'Sign-ups allowed from one IP address per 15 minutes',
    default: String(DEFAULT_SIGNUP_IP_LIMIT),
    schema: wholeNumberSetting(1, 1_000_000),
  },
]);

export type ThrottleReason = 'account_backoff' | 'ip_limit';

/** "in 1 second", "in 32 seconds", "in 14 minutes": how long, in words, so the owner knows to wait. */
export function waitInWords(seconds: number): string {
  if (seconds < 60) return `in ${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
}

export class ThrottledError extends AppError {
  constructor(
    readonly reason: ThrottleReason,
    msBeforeNext: number,
    what = 'Too many failed sign-in attempts.',
  ) {
    const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
    super('rate_limit:auth', `${what} Try again ${waitInWords(seconds)}.`, {
      headers: { 'Retry-After': String(seconds) },
      details: { retryAfterSeconds: seconds },
    });
  }
}

interface Streak {
  failures: number;
  last: number;
  /** Attempts are refused until this time (ms). */
  until: number;
}

interface Window {
  count: number;
  resetAt: number;
}

/** A Map that forgets its oldest entries past MAX_ENTRIES (insertion order; touched entries move last). */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
}

/** What sign-in, password change and sign-up call: in memory (below) or shared through Redis (throttle.redis.ts). */
export interface Throttle {
  /** Throws 429 (ThrottledError) while the account is backing off or the IP has spent its failures. */
  check(email: string, ip: string | null, ipLimit: number): void | Promise<void>;
  /** Counts a failed sign-in for the account and the IP. */
  fail(email: string, ip: string | null): void | Promise<void>;
  /** A correct password ends the account's streak (not the IP's count). */
  succeed(email: string): void | Promise<void>;
  /** Counts one sign-up attempt from `ip`; throws 429 once the IP has spent its sign-ups for the window. */
  signUp(ip: string | null, ipLimit: number): void | Promise<void>;
}

export class SignInThrottle implements Throttle {
  private readonly accounts = new Map<string, Streak>();
  private readonly signinIps = new Map<string, Window>();
  private readonly signupIps = new Map<string, Window>();

  constructor(
    private readonly limits: ThrottleLimits = DEFAULT_LIMITS,
    private readonly now: () => number = () => Date.now(),
  ) {}

  private streak(email: string): Streak | undefined {
    const s = this.accounts.get(email);
    if (s && this.now() - s.last > this.limits.windowSeconds * 1000) {
      this.accounts.delete(email);
      return undefined;
    }
    return s;
  }

  private window(map: Map<string, Window>, ip: string | null): Window | undefined {
    const w = map.get(ip ?? 'unknown');
    return w && w.resetAt > this.now() ? w : undefined;
  }

  private count(map: Map<string, Window>, ip: string | null): void {
    const w = this.window(map, ip) ?? { count: 0, resetAt: this.now() + this.limits.windowSeconds * 1000 };
    w.count++;
    remember(map, ip ?? 'unknown', w);
  }

  /** Throws 429 (ThrottledError) while the account is backing off or the IP has spent its failures. */
  check(email: string, ip: string | null, ipLimit: number): void {
    const s = this.streak(email);
    if (s && s.until > this.now()) throw new ThrottledError('account_backoff', s.until - this.now());
    const w = this.window(this.signinIps, ip);
    if (w && w.count >= ipLimit) throw new ThrottledError('ip_limit', w.resetAt - this.now());
  }

  /** Counts a failed sign-in for the account and the IP; past the free failures, starts the next backoff. */
  fail(email: string, ip: string | null): void {
    const s = this.streak(email) ?? { failures: 0, last: 0, until: 0 };
    s.failures++;
    s.last = this.now();
    const over = s.failures - this.limits.freeFailures;
    if (over > 0) s.until = s.last + Math.min(2 ** (over - 1) * 1000, this.limits.maxDelaySeconds * 1000);
    remember(this.accounts, email, s);
    this.count(this.signinIps, ip);
  }

  /** A correct password ends the account's streak (not the IP's count). */
  succeed(email: string): void {
    this.accounts.delete(email);
  }

  /** Counts one sign-up attempt from `ip`; throws 429 once the IP has spent its sign-ups for the window. */
  signUp(ip: string | null, ipLimit: number): void {
    const w = this.window(this.signupIps, ip);
    if (w && w.count >= ipLimit)
      throw new ThrottledError('ip_limit', w.resetAt - this.now(), 'Too many sign-ups from this network.');
    this.count(this.signupIps, ip);
  }
}
