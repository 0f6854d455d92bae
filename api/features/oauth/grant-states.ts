/**
 * What a presented OAuth token's grant allows right now — live or revoked, its client active or not and
 * with which per-person rate limit, its user's actor — cached by grant id in a hot cache (cleared on audited
 * identity or OAuth changes, NOTIFY on Postgres, 10 s TTL otherwise), so checking an access token on the
 * request path costs no query between changes.
 */
import type { Queryable } from '../../../db/client';
import type { Actor } from '../../lib/ctx';
import type { HotCaches, TtlCache } from '../../lib/hot-cache';
import type { UsersService } from '../users/users.service';
import { findClient } from './clients.repo';
import { findGrant } from './grants.repo';

export interface GrantState {
  live: boolean;
  clientActive: boolean;
  clientName: string;
  /** Requests per minute one person may make through this client's access tokens. */
  clientRateLimitRpm: number;
  owner: Actor | null;
  /** Token actors already built on this state, by client and scope: they live exactly as long as it does. */
  actors: Map<string, Actor>;
}

export class GrantStates {
  private readonly cache: TtlCache<GrantState | null>;

  constructor(private readonly deps: { db: Queryable; users: UsersService; caches: HotCaches }) {
    this.cache = deps.caches.create({ max: 50_000 });
  }

  get(grantId: string): Promise<GrantState | null> {
    return this.cache.getOrLoad(grantId, async () => {
      const { db, users } = this.deps;
      const grant = await findGrant(db, grantId);
      if (!grant) return null;
      const [client, owner] = await Promise.all([
        findClient(db, grant.clientId),
        users.actorFor(db, grant.userId, { type: 'oauth' }),
      ]);
      return {
        live: grant.revokedAt === null && grant.expiresAt.getTime() > Date.now(),
        clientActive: client?.status === 'active',
        clientName: client?.name ?? 'unknown',
        clientRateLimitRpm: client?.rateLimitRpm ?? 0, // no client: refused as inactive
        owner,
        actors: new Map(),
      };
    });
  }

  /** Forgets one grant (revoked here). */
  delete(grantId: string): void {
    this.cache.delete(grantId);
  }

  /** Forgets every grant (a person disconnected an app: several grants at once). */
  clear(): void {
    this.cache.clear();
  }
}
