/**
 * Request budgets per minute for the public API (rate-limiter-flexible). One fixed 60-second window per
 * subject (an API key or a user); each subject brings its own limit, so the store counts and we compare
 * (one limiter object serves every per-key override). In-process memory by default (lib/fixed-window.ts,
 * counted synchronously); with REDIS_URL the count lives in Redis and holds across instances, with an in-memory insurance limiter that takes over
 * (per instance) while Redis is unreachable instead of failing every request.
 * The same store keeps slots: how many of something a subject holds at once (answers streaming), in Redis
 * with REDIS_URL so the cap holds across processes (WEB_CONCURRENCY, several instances).
 */
import { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { z } from 'zod';
import { FixedWindowCounter } from './fixed-window';
import type { Logger } from './logger';

export const WINDOW_SECONDS = 60;
/** The highest per-minute limit a credential (API key, OAuth client) may be given. */
export const MAX_RATE_LIMIT_RPM = 100_000;

/** A credential's requests per minute, as admin forms and APIs accept it. */
// A string error on z.int() would replace every message (also min/max): give each check its own words.
export const RateLimitRpm = z
  .int({ error: 'must be a whole number' })
  .min(1, 'must be at least 1')
  .max(MAX_RATE_LIMIT_RPM, `must be at most ${MAX_RATE_LIMIT_RPM.toLocaleString('en-US')}`);
/** The store's own ceiling is never what limits: the subject's limit is compared with the count. */
const STORE_POINTS = 1_000_000_000;

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

/** A held slot (`allowed`), or the refusal with how many the subject already holds. */
export interface SlotDecision {
  allowed: boolean;
  /** Slots the subject holds, this one included when allowed. */
  running: number;
  /** Gives the slot back (idempotent; nothing to give when refused). */
  leave(): Promise<void>;
}

/**
 * A slot key lives this long after its last taker: a process killed without giving its slots back leaks
 * them only until the subject has been idle that long.
 */
export const SLOT_TTL_MS = 10 * 60_000;

// KEYS[1] the subject's counter; ARGV[1] the cap (0 = none), ARGV[2] the TTL. Returns the count when taken,
// minus the count held when refused.
const ENTER_SLOT = `local n = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local max = tonumber(ARGV[1])
if max > 0 and n > max then redis.call('DECR', KEYS[1]) return -(n - 1) end
return n`;
const LEAVE_SLOT = `local n = redis.call('DECR', KEYS[1])
if n <= 0 then redis.call('DEL', KEYS[1]) end
return n`;

const once = (fn: () => Promise<void>) => {
  let done = false;
  return async () => {
    if (done) return;
    done = true;
    await fn();
  };
};

export interface RateLimiterOptions {
  redisUrl?: string;
  /** Namespace in Redis (several deployments or test runs can share one server). */
  keyPrefix: string;
  log: Logger;
}

const decisionOf = (limit: number, count: number, msBeforeNext: number): RateDecision => ({
  allowed: count <= limit,
  limit,
  remaining: Math.max(0, limit - count),
  resetMs: msBeforeNext,
});

export class ApiRateLimiter {
  private limiter: Promise<RateLimiterAbstract> | null = null;
  /** The count without Redis (Redis brings its own in-memory insurance limiter). */
  private readonly counter = new FixedWindowCounter(WINDOW_SECONDS * 1000);
  private redis: Redis | null = null;
  private lastRedisWarning = 0;
  /** Slots held in this process: all of them without Redis, else those taken while it was unreachable. */
  private readonly slots = new Map<string, number>();

  constructor(private readonly options: RateLimiterOptions) {}

  get backend(): 'redis' | 'memory' {
    return this.options.redisUrl ? 'redis' : 'memory';
  }

  /**
   * Counts one request for `subject` against `limit` per minute. In memory (no REDIS_URL) the decision is
   * synchronous: no promise on the path of every API request (ADR 019).
   */
  consume(subject: string, limit: number): RateDecision | Promise<RateDecision> {
    const { redisUrl } = this.options;
    if (!redisUrl) {
      const { count, msBeforeNext } = this.counter.consume(subject);
      return decisionOf(limit, count, msBeforeNext);
    }
    return this.consumeShared(redisUrl, subject, limit);
  }

  private async consumeShared(redisUrl: string, subject: string, limit: number): Promise<RateDecision> {
    let res: RateLimiterRes;
    try {
      res = await (await this.store(redisUrl)).consume(subject, 1);
    } catch (err) {
      // Only a store failure with no insurance lands here (the points ceiling is never reached): fail open
      // for this request rather than take the API down with the cache.
      if (err instanceof RateLimiterRes) res = err;
      else {
        this.options.log.error({ err }, 'rate limit store failed; request allowed');
        return { allowed: true, limit, remaining: limit, resetMs: WINDOW_SECONDS * 1000 };
      }
    }
    return decisionOf(limit, res.consumedPoints, res.msBeforeNext);
  }

  /**
   * The shared Redis connection when REDIS_URL is set and it is up (null otherwise): what else must hold
   * across processes (slots, the sign-in throttle) uses it under `keyPrefix`, with its own memory fallback.
   */
  async sharedRedis(): Promise<Redis | null> {
    if (!this.options.redisUrl) return null;
    await this.store(this.options.redisUrl);
    return this.redis?.status === 'ready' ? this.redis : null;
  }

  /** Namespace in Redis for keys of this deployment. */
  get keyPrefix(): string {
    return this.options.keyPrefix;
  }

  /** Takes one of `max` slots of `subject` (0 = no cap): in Redis with REDIS_URL, else in this process. */
  async enterSlot(subject: string, max: number): Promise<SlotDecision> {
    const redis = await this.sharedRedis();
    if (redis) {
      const key = `${this.options.keyPrefix}:slots:${subject}`;
      try {
        const n = Number(await redis.eval(ENTER_SLOT, 1, key, max, SLOT_TTL_MS));
        if (n < 0) return { allowed: false, running: -n, leave: async () => {} };
        return {
          allowed: true,
          running: n,
          leave: once(async () => {
            await redis.eval(LEAVE_SLOT, 1, key).catch((err: unknown) => {
              this.options.log.warn({ err }, 'slots: giving a slot back to Redis failed');
            });
          }),
        };
      } catch (err) {
        this.options.log.warn({ err }, 'slots: Redis failed, counting in memory');
      }
    }
    const running = this.slots.get(subject) ?? 0;
    if (max > 0 && running >= max) return { allowed: false, running, leave: async () => {} };
    this.slots.set(subject, running + 1);
    return {
      allowed: true,
      running: running + 1,
      leave: once(async () => {
        const n = (this.slots.get(subject) ?? 1) - 1;
        if (n <= 0) this.slots.delete(subject);
        else this.slots.set(subject, n);
      }),
    };
  }

  async close(): Promise<void> {
    const redis = this.redis;
    this.redis = null;
    this.limiter = null;
    if (redis) await redis.quit().catch(() => redis.disconnect());
  }

  /** The Redis store, built on first use, so CLI commands and workers never open a Redis connection. */
  private store(redisUrl: string): Promise<RateLimiterAbstract> {
    this.limiter ??= this.build(redisUrl);
    return this.limiter;
  }

  private async build(redisUrl: string): Promise<RateLimiterAbstract> {
    const base = {
      points: STORE_POINTS,
      duration: WINDOW_SECONDS,
      keyPrefix: `${this.options.keyPrefix}:rl`,
    };
    this.redis = new Redis(redisUrl, {
      // Fail fast to the insurance limiter instead of queueing commands while Redis is down.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      lazyConnect: true,
    });
    this.redis.on('error', (err) => {
      const now = Date.now();
      if (now - this.lastRedisWarning > 30_000) {
        this.lastRedisWarning = now;
        this.options.log.warn({ err: err.message }, 'rate limit: Redis unavailable, counting in memory');
      }
    });
    // Wait for the first connection so the first requests count in Redis, not in the insurance limiter;
    // if it fails, ioredis keeps reconnecting and the insurance limiter counts meanwhile.
    await this.redis.connect().catch(() => {});
    return new RateLimiterRedis({
      ...base,
      storeClient: this.redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(base),
    });
  }
}
