/**
 * Slots (answers a person has streaming at once): capped per process without Redis, and across processes
 * that share one Redis (redis://127.0.0.1:6379, a unique key prefix per run) — what WEB_CONCURRENCY needs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { ApiRateLimiter } from './rate-limit';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const log = createLogger({ level: 'silent' });
const open: ApiRateLimiter[] = [];
const limiter = (redisUrl?: string, keyPrefix = `slots-test-${process.pid}-${Date.now()}`) => {
  const l = new ApiRateLimiter({ redisUrl, keyPrefix, log });
  open.push(l);
  return l;
};
afterEach(async () => {
  await Promise.all(open.splice(0).map((l) => l.close()));
});

describe('slots', () => {
  it('caps a subject in one process and gives slots back once', async () => {
    const l = limiter();
    const first = await l.enterSlot('streams:u1', 2);
    const second = await l.enterSlot('streams:u1', 2);
    expect([first.allowed, second.allowed, second.running]).toEqual([true, true, 2]);
    expect(await l.enterSlot('streams:u1', 2)).toMatchObject({ allowed: false, running: 2 });
    expect((await l.enterSlot('streams:u2', 2)).allowed).toBe(true); // per subject
    await first.leave();
    await first.leave(); // idempotent: gives back one slot, not two
    expect((await l.enterSlot('streams:u1', 2)).allowed).toBe(true);
    expect((await l.enterSlot('streams:u1', 2)).allowed).toBe(false);
    expect((await l.enterSlot('streams:u1', 0)).allowed).toBe(true); // 0 = no cap
  });

  it('holds the cap across two processes sharing Redis', async () => {
    const prefix = `slots-test-shared-${process.pid}-${Date.now()}`;
    const a = limiter(REDIS_URL, prefix);
    const b = limiter(REDIS_URL, prefix);
    const held = [await a.enterSlot('streams:u1', 3), await b.enterSlot('streams:u1', 3)];
    held.push(await a.enterSlot('streams:u1', 3));
    expect(held.map((s) => s.running)).toEqual([1, 2, 3]);
    expect(await b.enterSlot('streams:u1', 3)).toMatchObject({ allowed: false, running: 3 });
    expect(await a.enterSlot('streams:u1', 3)).toMatchObject({ allowed: false, running: 3 });
    await held[0]!.leave();
    await held[0]!.leave();
    const again = await b.enterSlot('streams:u1', 3);
    expect(again).toMatchObject({ allowed: true, running: 3 });
    for (const s of [...held, again]) await s.leave();
    // Every slot given back: the key is gone, a fresh count starts at 1.
    expect((await a.enterSlot('streams:u1', 3)).running).toBe(1);
  });

  it('counts in memory while Redis is unreachable, and still caps', async () => {
    const l = limiter('redis://127.0.0.1:1');
    expect((await l.enterSlot('streams:u1', 1)).allowed).toBe(true);
    expect(await l.enterSlot('streams:u1', 1)).toMatchObject({ allowed: false, running: 1 });
  });
});
