import { describe, expect, it } from 'vitest';
import { SignInThrottle, ThrottledError, waitInWords } from './throttle';

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

  it('says how long to wait, in words (the owner gets in after it)', () => {
    const c = clock();
    const t = new SignInThrottle({ freeFailures: 1, maxDelaySeconds: 60, windowSeconds: 900 }, c.now);
    const message = (fn: () => void) => {
      try {
        fn();
      } catch (err) {
        return (err as ThrottledError).message;
      }
      return null;
    };
    t.fail('a@b.org', '10.0.0.1');
    t.fail('a@b.org', '10.0.0.1');
    expect(message(() => t.check('a@b.org', '10.0.0.2', 1000))).toBe(
      'Too many failed sign-in attempts. Try again in 1 second.',
    );
    expect(message(() => t.check('other@b.org', '10.0.0.1', 2))).toBe(
      'Too many failed sign-in attempts. Try again in 15 minutes.',
    );
    t.signUp('10.0.0.3', 1);
    expect(message(() => t.signUp('10.0.0.3', 1))).toBe(
      'Too many sign-ups from this network. Try again in 15 minutes.',
    );
    expect(waitInWords(32)).toBe('in 32 seconds');
    expect(waitInWords(61)).toBe('in 2 minutes');
  });
});
