/**
 * Sign-in throttling across instances (issue 15.3 on the AWS topology): two service containers on one
 * database sharing one Redis (redis://127.0.0.1:6379, a unique key prefix) — as two ECS tasks or two
 * WEB_CONCURRENCY processes — enforce ONE per-account backoff and ONE per-IP budget; failures and refusals
 * are audited. With Redis unreachable, sign-in still works (a correct password gets in) and still throttles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestServices, type TestServices } from '../../../tests/helpers/test-app';
import { type Ctx, createCtx, systemActor } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import { createServices, type Services } from '../../services';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const OWNER = { email: 'teacher@school.example', password: 'Correct-horse-battery-staple-42' };

async function outcome(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return err.status;
  }
}

describe('two instances sharing Redis', () => {
  let a: TestServices;
  let b: Services;
  // Both instances work on one database: a context is the same on either.
  const ctxAt = (ip: string): Ctx => createCtx({ db: a.database.db, log: a.log, ip });
  const admin = (): Ctx => createCtx({ db: a.database.db, log: a.log, actor: systemActor('cli') });
  const signIn = (s: Services, password: string, ip: string, email = OWNER.email) =>
    outcome(s.auth.signIn(ctxAt(ip), { email, password }));

  beforeAll(async () => {
    a = await createTestServices({
      env: { REDIS_URL, REDIS_KEY_PREFIX: `throttle-shared-${process.pid}-${Date.now()}` },
    });
    // A second instance: its own services (own throttle, own Redis connection) on the same database.
    b = createServices({ config: a.services.config, database: a.database, log: a.log });
    await a.services.auth.signUp(admin(), OWNER);
  });
  afterAll(async () => {
    await b?.apiKeys.close();
    await b?.rateLimiter.close();
    await a?.close();
  });

  it('holds one backoff per account: failures on either instance add up, the owner gets in after it', async () => {
    // Five free failures, alternating instances and addresses (as the load balancer spreads them).
    for (let i = 0; i < 6; i++)
      expect(await signIn(i % 2 ? b : a.services, 'wrong guess', `10.1.0.${i}`)).toBe(401);
    // The sixth started a 1-second backoff that both instances see, even for the correct password.
    expect(await signIn(a.services, OWNER.password, '10.1.0.9')).toBe(429);
    expect(await signIn(b, OWNER.password, '10.1.0.9')).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await signIn(b, OWNER.password, '10.1.0.9')).toBe(200);
    expect(await signIn(a.services, 'wrong guess', '10.1.0.9')).toBe(401); // the streak ended everywhere
    const failed = await a.services.audit.list(admin(), { action: 'auth.signin_failed', limit: 20 });
    const reasons = failed.map((e) => (e.details as { reason: string }).reason);
    expect(reasons.filter((r) => r === 'wrong_password')).toHaveLength(7);
    expect(reasons.filter((r) => r === 'account_backoff')).toHaveLength(2);
  });

  it('holds one failed sign-in budget per IP, read from the setting at each attempt', async () => {
    await a.services.settings.set(admin(), { key: 'auth.signin_ip_limit', value: '4' });
    await b.settings.set(admin(), { key: 'auth.signin_ip_limit', value: '4' });
    const school = '203.0.113.50';
    for (let i = 0; i < 4; i++)
      expect(await signIn(i % 2 ? b : a.services, 'wrong', school, `pupil${i}@school.example`)).toBe(401);
    expect(await signIn(a.services, OWNER.password, school)).toBe(429);
    expect(await signIn(b, OWNER.password, school)).toBe(429);
    expect(await signIn(b, OWNER.password, '198.51.100.7')).toBe(200); // another building
    const failed = await a.services.audit.list(admin(), { action: 'auth.signin_failed', limit: 5 });
    expect(failed[0]?.details).toMatchObject({ email: OWNER.email, reason: 'ip_limit' });
  });
});

describe('Redis unreachable', () => {
  let t: TestServices;
  const ctx = (): Ctx => createCtx({ db: t.database.db, log: t.log, ip: '10.9.0.1' });
  beforeAll(async () => {
    t = await createTestServices({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    await t.services.auth.signUp(
      createCtx({ db: t.database.db, log: t.log, actor: systemActor('cli') }),
      OWNER,
    );
  });
  afterAll(() => t?.close());

  it('lets the correct password in and still throttles, in this process', async () => {
    expect(await outcome(t.services.auth.signIn(ctx(), OWNER))).toBe(200);
    for (let i = 0; i < 6; i++)
      expect(await outcome(t.services.auth.signIn(ctx(), { ...OWNER, password: 'wrong guess' }))).toBe(401);
    expect(await outcome(t.services.auth.signIn(ctx(), OWNER))).toBe(429);
  });
});
