/**
 * Bearer credentials (API keys; OAuth access tokens reuse it) resolved to their actor, cached by the token's
 * SHA-256 in a hot cache, so the invalidation that covers session actors covers them too
 * (lib/hot-cache.ts): revoking a credential, or any audited change to its owner or roles, clears it in this
 * process at once, in other processes by NOTIFY, and the TTL bounds the rest. A cached credential past its
 * own expiry is not served: the next request reloads it (and is refused with the loader's reason).
 * Refusals throw and are never cached, so a credential created after a failed try works at once.
 */
import { sha256 } from './crypto';
import type { HotCaches, TtlCache } from './hot-cache';

export interface CachedCredential {
  /** When the credential stops working on its own (null: never). */
  expiresAt: Date | null;
}

export class CredentialCache<V extends CachedCredential> {
  private readonly cache: TtlCache<V>;

  constructor(caches: HotCaches, options: { max?: number } = {}) {
    this.cache = caches.create<V>({ max: options.max ?? 50_000 });
  }

  /** The live cached resolution of `token`, else `load(tokenHash)`'s (cached when it returns). */
  resolve(token: string, load: (tokenHash: string) => Promise<V>, now = Date.now()): Promise<V> {
    const hash = sha256(token);
    const hit = this.cache.get(hash);
    if (hit && (hit.expiresAt === null || hit.expiresAt.getTime() > now)) return Promise.resolve(hit);
    if (hit) this.cache.delete(hash);
    return this.cache.getOrLoad(hash, () => load(hash));
  }
}
