/**
 * The sign-in throttle shared through Redis (REDIS_URL): every process (WEB_CONCURRENCY) and every instance
 * behind the load balancer counts against ONE per-IP budget and ONE per-account backoff — the same rules as
 * the in-memory `SignInThrottle` (throttle.ts), each step one Lua script so concurrent attempts cannot race.
 * It uses the API rate limiter's Redis connection and key prefix (api/lib/rate-limit.ts); keys carry the
 * e-mail's SHA-256, never the address. While Redis is unreachable it falls back to an in-memory
 * `SignInThrottle` of this process (logged, without e-mails): sign-in keeps working and is still throttled
 * per process; nobody is refused because Redis is down.
 */
import type { Redis } from 'ioredis';
import { sha256 } from '../../lib/crypto';
import type { Logger } from '../../lib/logger';
import {
  DEFAULT_LIMITS,
  SignInThrottle,
  type Throttle,
  ThrottledError,
  type ThrottleLimits,
} from './throttle';

/** Where the shared connection comes from: the API rate limiter (`sharedRedis` is null while Redis is down). */
export interface SharedRedis {
  sharedRedis(): Promise<Redis | null>;
  readonly keyPrefix: string;
}

// KEYS[1] the account's backoff key, KEYS[2] the IP's failure count. Returns the backoff's ms left (≤ 0:
// none), the IP's count and its ms left.
const CHECK = `local a = redis.call('PTTL', KEYS[1])
local n = tonumber(redis.call('GET', KEYS[2]) or '0')
return {a, n, redis.call('PTTL', KEYS[2])}`;
// KEYS[1] the account's failures in a row, KEYS[2] its backoff, KEYS[3] the IP's failure count; ARGV free
// failures, the backoff's ceiling (ms), the window (ms). The streak ends a window after its last failure;
// the IP counts in fixed windows.
const FAIL = `local f = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
local over = f - tonumber(ARGV[1])
if over > 0 then
  redis.call('SET', KEYS[2], '1', 'PX', math.min(2 ^ (over - 1) * 1000, tonumber(ARGV[2])))
end
if redis.call('INCR', KEYS[3]) == 1 then redis.call('PEXPIRE', KEYS[3], ARGV[3]) end
return f`;
// KEYS[1] the IP's sign-up count; ARGV the limit, the window (ms). Returns {refused, ms left}.
const SIGN_UP = `local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then return {1, redis.call('PTTL', KEYS[1])} end
if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return {0, 0}`;

/** Warn at most this often while Redis is down (every attempt would flood the log). */
const WARN_EVERY_MS = 30_000;

export class RedisSignInThrottle implements Throttle {
  private readonly limits: ThrottleLimits;
  /** Counts only while Redis is unreachable (per process, like the rate limiter's insurance limiter). */
  readonly fallback: SignInThrottle;
  private lastWarning = 0;

  constructor(private readonly deps: { redis: SharedRedis; log: Logger; limits?: ThrottleLimits }) {
    this.limits = deps.limits ?? DEFAULT_LIMITS;
    this.fallback = new SignInThrottle(this.limits);
  }

  async check(email: string, ip: string | null, ipLimit: number): Promise<void> {
    const keys = [this.accountKey(email, 'until'), this.ipKey('signin', ip)];
    const shared = await this.run('check', (r) => r.eval(CHECK, keys.length, ...keys));
    if (!shared) return this.fallback.check(email, ip, ipLimit);
    const [backoffMs, ipCount, ipMs] = (shared as number[]).map(Number) as [number, number, number];
    if (backoffMs > 0) throw new ThrottledError('account_backoff', backoffMs);
    if (ipCount >= ipLimit) throw new ThrottledError('ip_limit', ipMs);
  }

  async fail(email: string, ip: string | null): Promise<void> {
    const keys = [
      this.accountKey(email, 'failures'),
      this.accountKey(email, 'until'),
      this.ipKey('signin', ip),
    ];
    const { freeFailures, maxDelaySeconds, windowSeconds } = this.limits;
    const args = [freeFailures, maxDelaySeconds * 1000, windowSeconds * 1000];
    const shared = await this.run('fail', (r) => r.eval(FAIL, keys.length, ...keys, ...args));
    if (!shared) this.fallback.fail(email, ip);
  }

  async succeed(email: string): Promise<void> {
    // Also ends a streak counted in memory during an outage.
    this.fallback.succeed(email);
    await this.run('succeed', (r) =>
      r.del(this.accountKey(email, 'failures'), this.accountKey(email, 'until')),
    );
  }

  async signUp(ip: string | null, ipLimit: number): Promise<void> {
    const shared = await this.run('signUp', (r) =>
      r.eval(SIGN_UP, 1, this.ipKey('signup', ip), ipLimit, this.limits.windowSeconds * 1000),
    );
    if (!shared) return this.fallback.signUp(ip, ipLimit);
    const [refused, ms] = (shared as number[]).map(Number) as [number, number];
    if (refused) throw new ThrottledError('ip_limit', ms, 'Too many sign-ups from this network.');
  }

  private accountKey(email: string, part: 'failures' | 'until'): string {
    return `${this.deps.redis.keyPrefix}:throttle:account:${sha256(email)}:${part}`;
  }

  private ipKey(kind: 'signin' | 'signup', ip: string | null): string {
    return `${this.deps.redis.keyPrefix}:throttle:${kind}-ip:${ip ?? 'unknown'}`;
  }

  /** The step in Redis, or null (→ the in-memory fallback) when Redis is down or the command fails. */
  private async run<T>(step: string, fn: (redis: Redis) => Promise<T>): Promise<T | null> {
    try {
      const redis = await this.deps.redis.sharedRedis();
      if (redis) return await fn(redis);
      this.warn(step, 'not connected');
    } catch (err) {
      this.warn(step, err instanceof Error ? err.message : String(err));
    }
    return null;
  }

  private warn(step: string, err: string): void {
    const now = Date.now();
    if (now - this.lastWarning < WARN_EVERY_MS) return;
    this.lastWarning = now;
    this.deps.log.warn({ err, step }, 'sign-in throttle: Redis unavailable, counting in this process');
  }
}
