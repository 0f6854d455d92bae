/**
 * The sign-in throttle shared through Redis (redis://127.0.0.1:6379, a unique key prefix per test): two
 * throttles — two processes or instances, each with its own connection — hold ONE per-IP budget and ONE
 * per-account backoff; with Redis unreachable each falls back to counting in memory and logs without e-mails.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/logger';
import { ApiRateLimiter } from '../../lib/rate-limit';
import { ThrottledError } from './throttle';
import { RedisSignInThrottle } from './throttle.redis';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const LIMITS = { freeFailures: 2, maxDelaySeconds: 60, windowSeconds: 900 };
const silent = createLogger({ level: 'silent' });
const open: ApiRateLimiter[] = [];
let run = 0;

/** `n` throttles (own connection each) sharing one Redis under one fresh prefix. */
function instances(n: number, redisUrl = REDIS_URL, log = silent): RedisSignInThrottle[] {
  const keyPrefix = `throttle-test-${process.pid}-${Date.now()}-${run++}`;
  return Array.from({ length: n }, () => {
    const redis = new ApiRateLimiter({ redisUrl, keyPrefix, log: silent });
    open.push(redis);
    return new RedisSignInThrottle({ redis, log, limits: LIMITS });
  });
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

/** The refusal's reason and Retry-After, or null when let through. */
async function refusal(attempt: Promise<void>): Promise<{ reason: string; retryAfter: number } | null> {
  try {
    await attempt;
    return null;
  } catch (err) {
    if (!(err instanceof ThrottledError)) throw err;
    return { reason: err.reason, retryAfter: Number(err.headers['Retry-After']) };
  }
}

describe('RedisSignInThrottle', () => {
  it('holds one per-account backoff across two instances, and success on one ends it on both', async () => {
    const [a, b] = instances(2) as [RedisSignInThrottle, RedisSignInThrottle];
    const email = 'kid@school.org';
    await a.fail(email, '10.0.0.1');
    await b.fail(email, '10.0.0.2');
    expect(await refusal(a.check(email, '10.0.0.3', 1000))).toBeNull(); // two free failures, across both
    await a.fail(email, '10.0.0.1'); // the third starts a 1-second backoff...
    expect(await refusal(b.check(email, '10.0.0.9', 1000))).toEqual({
      reason: 'account_backoff',
      retryAfter: 1,
    });
    await b.fail(email, '10.0.0.2'); // ...and the fourth (seen by the other instance) doubles it
    expect(await refusal(a.check(email, '10.0.0.9', 1000))).toEqual({
      reason: 'account_backoff',
      retryAfter: 2,
    });
    // Another account is not affected; the owner's correct password (after the delay) ends the streak for all.
    expect(await refusal(a.check('other@school.org', '10.0.0.9', 1000))).toBeNull();
    await b.succeed(email);
    expect(await refusal(a.check(email, '10.0.0.9', 1000))).toBeNull();
    await a.fail(email, '10.0.0.1');
    expect(await refusal(b.check(email, '10.0.0.9', 1000))).toBeNull();
  });

  it('holds one per-IP budget for failed sign-ins and for sign-ups across two instances', async () => {
    const [a, b] = instances(2) as [RedisSignInThrottle, RedisSignInThrottle];
    // Four accounts (each under its free failures) from one school address, alternating instances.
    for (let i = 0; i < 4; i++) await (i % 2 ? b : a).fail(`student${i}@school.org`, '203.0.113.7');
    const spent = await refusal(a.check('new@school.org', '203.0.113.7', 4));
    expect(spent?.reason).toBe('ip_limit');
    expect(spent?.retryAfter).toBeGreaterThan(890);
    expect(spent?.retryAfter).toBeLessThanOrEqual(900);
    expect((await refusal(b.check('new@school.org', '203.0.113.7', 4)))?.reason).toBe('ip_limit');
    // The limit is read at each attempt (a setting): raised, the same count lets people in again.
    expect(await refusal(b.check('new@school.org', '203.0.113.7', 5))).toBeNull();
    expect(await refusal(b.check('new@school.org', '198.51.100.1', 4))).toBeNull(); // another address

    await a.signUp('203.0.113.7', 3);
    await b.signUp('203.0.113.7', 3);
    await a.signUp('203.0.113.7', 3);
    const signUps = [await refusal(b.signUp('203.0.113.7', 3)), await refusal(a.signUp('203.0.113.7', 3))];
    expect(signUps.map((r) => r?.reason)).toEqual(['ip_limit', 'ip_limit']);
    expect(await refusal(a.signUp('198.51.100.1', 3))).toBeNull();
  });

  it('keeps no e-mail address in Redis keys', async () => {
    const [a] = instances(1) as [RedisSignInThrottle];
    for (let i = 0; i < 3; i++) await a.fail('kid@school.org', '10.0.0.1'); // failures, backoff, IP count
    const redis = await open[0]!.sharedRedis();
    const keys = await redis!.keys(`${open[0]!.keyPrefix}:*`);
    expect(keys.length).toBe(3);
    expect(keys.join(' ')).not.toContain('kid@school.org');
  });

  it('falls back to this process while Redis is unreachable: still throttles, never refuses for the outage', async () => {
    const lines: string[] = [];
    const log = createLogger({
      level: 'info',
      destination: new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    const [t] = instances(1, 'redis://127.0.0.1:1', log) as [RedisSignInThrottle];
    const email = 'kid@school.org';
    expect(await refusal(t.check(email, '10.0.0.1', 1000))).toBeNull();
    for (let i = 0; i < 3; i++) await t.fail(email, '10.0.0.1');
    expect((await refusal(t.check(email, '10.0.0.1', 1000)))?.reason).toBe('account_backoff');
    await t.succeed(email);
    expect(await refusal(t.check(email, '10.0.0.1', 1000))).toBeNull();
    expect(await refusal(t.signUp('10.0.0.1', 1))).toBeNull();
    expect((await refusal(t.signUp('10.0.0.1', 1)))?.reason).toBe('ip_limit');
    const logged = lines.join('');
    expect(logged).toContain('sign-in throttle: Redis unavailable, counting in this process');
    expect(logged).not.toContain(email);
  });
});
