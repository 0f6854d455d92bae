import { describe, expect, it } from 'vitest';
import { SignInThrottle, ThrottledError } from './throttle';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const retryAfter = (fn: () => void): number | null => {
  try {
    fn();
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(ThrottledError);
    return Number((err as ThrottledError).headers['Retry-After']);
  }
};

describe('SignInThrottle', () => {
  it('doubles the backoff after the free failures and caps it at a minute', () => {
    const c = clock();
    const t = new SignInThrottle({ freeFailures: 5, maxDelaySeconds: 60, windowSeconds: 900 }, c.now);
    const delays: (number | null)[] = [];
    for (let i = 0; i < 14; i++) {
      const wait = retryAfter(() => t.check('kid@school.org', '10.0.0.1', 1000));
      delays.push(wait);
      if (wait) c.advance(wait * 1000);
      t.fail('kid@school.org', '10.0.0.1');
    }
    expect(delays).toEqual([null, null, null, null, null, null, 1, 2, 4, 8, 16, 32, 60, 60]);
    // The owner, after the delay, is let through; success ends the streak.
    c.advance(60_000);
    expect(retryAfter(() => t.check('kid@school.org', '10.0.0.9', 1000))).toBeNull();
    t.succeed('kid@school.org');
    t.fail('kid@school.org', '10.0.0.9');
    expect(retryAfter(() => t.check('kid@school.org', '10.0.0.9', 1000))).toBeNull();
  });

  it('forgets a streak after the window and counts IPs per window', () => {
    const c = clock();
    const t = new SignInThrottle({ freeFailures: 1, maxDelaySeconds: 60, windowSeconds: 900 }, c.now);
    t.fail('a@b.org', '10.0.0.1');
    t.fail('a@b.org', '10.0.0.1');
    expect(retryAfter(() => t.check('a@b.org', '10.0.0.2', 1000))).toBe(1);
    expect(retryAfter(() => t.check('other@b.org', '10.0.0.1', 2))).toBe(900);
    c.advance(901_000);
    expect(retryAfter(() => t.check('a@b.org', '10.0.0.1', 2))).toBeNull();
  });
});
