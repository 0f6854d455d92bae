import { describe, expect, it } from 'vitest';
import { HotCaches, TtlCache } from './hot-cache';

describe('TtlCache', () => {
  it('forgets entries after their time to live', () => {
    let now = 1_000;
    const cache = new TtlCache<string>({ ttlMs: 100, max: 10, now: () => now });
    cache.set('a', 'x');
    now += 99;
    expect(cache.get('a')).toBe('x');
    now += 1;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops the oldest entry beyond its size', () => {
    const cache = new TtlCache<number>({ ttlMs: 1_000, max: 2 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 2, 3]);
  });

  it('shares one load between concurrent misses and does not cache failures', async () => {
    const cache = new TtlCache<number>({ ttlMs: 1_000, max: 10 });
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 5));
      return 42;
    };
    expect(await Promise.all([cache.getOrLoad('k', load), cache.getOrLoad('k', load)])).toEqual([42, 42]);
    expect(loads).toBe(1);
    await expect(cache.getOrLoad('bad', () => Promise.reject(new Error('db down')))).rejects.toThrow(
      'db down',
    );
    expect(await cache.getOrLoad('bad', async () => 7)).toBe(7);
  });

  it('reads a cached value without a promise, and loads a missing one like getOrLoad', async () => {
    const cache = new TtlCache<number>({ ttlMs: 1_000, max: 10 });
    const missing = cache.read('a', async () => 7);
    expect(missing).toBeInstanceOf(Promise);
    expect(await missing).toBe(7);
    expect(cache.read('a', async () => 8)).toBe(7);
  });

  it('does not store a load that started before a clear', async () => {
    const cache = new TtlCache<string>({ ttlMs: 1_000, max: 10 });
    let release!: (v: string) => void;
    const pending = cache.getOrLoad('k', () => new Promise<string>((r) => (release = r)));
    cache.clear(); // the change lands while the old value is being read
    release('stale');
    expect(await pending).toBe('stale'); // the caller that asked still gets its answer…
    expect(cache.get('k')).toBeUndefined(); // …but nobody after it
  });

  it('keeps only what `keep` accepts', async () => {
    const cache = new TtlCache<string | null>({ ttlMs: 1_000, max: 10 });
    await cache.getOrLoad(
      'missing',
      async () => null,
      (v) => v !== null,
    );
    expect(cache.get('missing')).toBeUndefined();
  });
});

describe('HotCaches', () => {
  it('clears every cache it made when something changes', () => {
    const caches = new HotCaches({ ttlMs: 1_000, max: 10 });
    const a = caches.create<number>();
    const b = caches.create<number>({ max: 1 });
    a.set('x', 1);
    b.set('y', 2);
    caches.changed();
    expect([a.get('x'), b.get('y')]).toEqual([undefined, undefined]);
  });
});
