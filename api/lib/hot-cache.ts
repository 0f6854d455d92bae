/**
 * Short-lived caches for what every chat request reads: who the session belongs to, a model and its grants,
 * the budgets that apply (docs/decisions/013-hot-path-caches.md). Correctness rests on three layers:
 * - this process drops every hot cache when it records an audited change to identity, models or budgets
 *   (`HotCaches.changed`, wired to the audit service);
 * - on Postgres, statement triggers on those tables NOTIFY `cache_changed` after commit, so other instances,
 *   workers and the CLI (and any write path that forgot to announce itself) clear theirs too;
 * - a TTL bounds what neither reaches (the CLI writing to the embedded database, where NOTIFY does not
 *   cross the socket): at most `ttlMs` of staleness.
 * A load that races an invalidation is not stored (generation check), so a clear is never undone by a read
 * that started before it.
 */
import type { DbHandle } from '../../db/client';
import type { Logger } from './logger';

export const CACHE_CHANNEL = 'cache_changed';

export interface TtlCacheOptions {
  ttlMs: number;
  /** Entries kept at most; the oldest inserted goes first. */
  max: number;
  now?: () => number;
}

export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  private readonly loading = new Map<string, Promise<V>>();
  private generation = 0;
  private readonly now: () => number;

  constructor(private readonly options: TtlCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.options.max) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expires: this.now() + this.options.ttlMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
    this.loading.clear();
  }

  /** `getOrLoad` without a promise when the value is cached: hot paths skip a microtask (ADR 019). */
  read(key: string, load: () => Promise<V>): V | Promise<V> {
    const hit = this.get(key);
    return hit !== undefined ? hit : this.getOrLoad(key, load);
  }

  /**
   * The cached value, or `load()`'s (stored unless `keep` says no). Concurrent misses for one key share a
   * single load; a failed load is not cached.
   */
  async getOrLoad(key: string, load: () => Promise<V>, keep: (v: V) => boolean = () => true): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const inFlight = this.loading.get(key);
    if (inFlight) return inFlight;
    const generation = this.generation;
    const promise = load().then(
      (value) => {
        if (this.loading.get(key) === promise) this.loading.delete(key);
        if (generation === this.generation && keep(value)) this.set(key, value);
        return value;
      },
      (err: unknown) => {
        if (this.loading.get(key) === promise) this.loading.delete(key);
        throw err;
      },
    );
    this.loading.set(key, promise);
    return promise;
  }
}

/** The process's hot caches, cleared together on any change they depend on. */
export class HotCaches {
  private readonly caches: Array<TtlCache<unknown>> = [];
  private unlisten: (() => Promise<void>) | null = null;

  constructor(private readonly defaults: { ttlMs: number; max: number; now?: () => number }) {}

  create<V>(options: Partial<TtlCacheOptions> = {}): TtlCache<V> {
    const cache = new TtlCache<V>({ ...this.defaults, ...options });
    this.caches.push(cache as TtlCache<unknown>);
    return cache;
  }

  /** Something they depend on changed (in this process, or announced by the database). */
  changed(): void {
    for (const cache of this.caches) cache.clear();
  }

  /** Follows `cache_changed` notifications (Postgres). Best effort: the TTL bounds what is missed. */
  async subscribe(database: Pick<DbHandle, 'listen'>, log: Logger): Promise<void> {
    if (!database.listen) return;
    try {
      this.unlisten = await database.listen(CACHE_CHANNEL, () => this.changed());
    } catch (err) {
      log.warn({ err }, 'hot caches: LISTEN failed; relying on their TTL');
    }
  }

  async close(): Promise<void> {
    await this.unlisten?.().catch(() => {});
    this.unlisten = null;
  }
}
