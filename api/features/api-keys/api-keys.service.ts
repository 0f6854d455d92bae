/**
 * Personal API keys: create (shown once), list, revoke; the admin overview; and `resolve`, which turns a
 * presented `sk-…` key into a scoped actor for the auth middleware. At most 10 active keys per user.
 */
import type { z } from 'zod';
import type { Queryable } from '../../../db/client';
import { assertCan, assertSignedIn, can } from '../../lib/authz';
import { type CachedCredential, CredentialCache } from '../../lib/credential-cache';
import { safeEqual } from '../../lib/crypto';
import { type Actor, type Ctx, userActor } from '../../lib/ctx';
import { decodeCursor, encodeCursor, pageOf } from '../../lib/cursor';
import { AppError } from '../../lib/errors';
import type { HotCaches, TtlCache } from '../../lib/hot-cache';
import { isUuid } from '../../lib/ids';
import type { Logger } from '../../lib/logger';
import { ALL_SCOPES, grantableScopes, SCOPE_DESCRIPTIONS, scopedActor } from '../../lib/scopes';
import { parseInput } from '../../lib/validate';
import type { AuditService } from '../audit/audit.service';
import type { UsersService, UserView } from '../users/users.service';
import {
  type ApiKeyRow,
  countActiveKeys,
  findKey,
  findKeyWithOwner,
  insertKey,
  listAllKeys,
  listKeysOfUser,
  listUsage,
  lockOwner,
  revokeKey,
  usageSummaries,
} from './api-keys.repo';
import {
  type AdminApiKeyView,
  AdminListInput,
  type ApiKeyView,
  CreateKeyInput,
  DEFAULT_RATE_LIMIT_RPM,
  keyStatus,
  MAX_ACTIVE_KEYS,
  MAX_RATE_LIMIT_RPM,
  type MeView,
  type ResolvedKey,
  toKeyView,
} from './api-keys.schemas';
import { generateKey, looksLikeKey, prefixOf } from './api-keys.secret';
import { UsageRecorder } from './usage-recorder';

export * from './api-keys.schemas';

const unauthorized = (message: string) =>
  new AppError('unauthorized:api_key', message, { headers: { 'WWW-Authenticate': 'Bearer' } });

export class ApiKeysService {
  /** The request log and last-used times, written in batches off the request path. */
  readonly usage: UsageRecorder;
  /** Resolved keys by hash (lib/credential-cache.ts says what clears them). */
  private readonly resolved: CredentialCache<ResolvedKey & CachedCredential>;
  /** Key rows by id for /api/v1/me (same hot-cache invalidation: revoking a key clears it). */
  private readonly keysById: TtlCache<ApiKeyRow | undefined>;
  /** /api/v1/me's answer per actor, with what it was made from. */
  private readonly meViews = new WeakMap<
    Actor,
    { user: UserView; key: ApiKeyRow | undefined; rateLimitRpm: number; view: MeView }
  >();

  constructor(
    private readonly deps: {
      audit: AuditService;
      users: UsersService;
      db: Queryable;
      log: Logger;
      caches: HotCaches;
    },
  ) {
    this.usage = new UsageRecorder({ db: deps.db, log: deps.log });
    this.resolved = new CredentialCache(deps.caches);
    this.keysById = deps.caches.create({ max: 50_000 });
  }

  // ——— own keys (capability api:keys) ———

  async create(
    ctx: Ctx,
    input: z.input<typeof CreateKeyInput>,
  ): Promise<{ key: ApiKeyView; secret: string }> {
    assertCan(ctx.actor, 'api:keys');
    assertSignedIn(ctx.actor);
    return this.createFor(ctx, ctx.actor, input);
  }

  async listMine(ctx: Ctx): Promise<ApiKeyView[]> {
    assertCan(ctx.actor, 'api:keys');
    assertSignedIn(ctx.actor);
    const now = new Date();
    return (await listKeysOfUser(ctx.db, ctx.actor.id)).map((k) => toKeyView(k, now));
  }

  async revokeMine(ctx: Ctx, id: string): Promise<ApiKeyView> {
    assertCan(ctx.actor, 'api:keys');
    assertSignedIn(ctx.actor);
    const key = isUuid(id) ? await findKey(ctx.db, id) : undefined;
    if (!key || key.userId !== ctx.actor.id) throw new AppError('not_found:api_keys', 'No such API key');
    return this.revoke(ctx, key);
  }

  /** Scopes the signed-in user may put on a key (for the create form). */
  grantable(ctx: Ctx): string[] {
    assertCan(ctx.actor, 'api:keys');
    return grantableScopes(ctx.actor);
  }

  /** What the create form offers this user: the scopes their roles back (with what each allows) and limits. */
  createOptions(ctx: Ctx) {
    assertCan(ctx.actor, 'api:keys');
    return {
      scopes: grantableScopes(ctx.actor).map((scope) => ({ scope, description: SCOPE_DESCRIPTIONS[scope] })),
      maxActiveKeys: MAX_ACTIVE_KEYS,
      defaultRateLimitRpm: DEFAULT_RATE_LIMIT_RPM,
      maxRateLimitRpm: can(ctx.actor, 'admin:users') ? MAX_RATE_LIMIT_RPM : DEFAULT_RATE_LIMIT_RPM,
    };
  }

  // ——— administration (admin:users) and the CLI ———

  /** Creates a key for the user with this e-mail (CLI: the system actor). */
  async createForEmail(
    ctx: Ctx,
    email: string,
    input: z.input<typeof CreateKeyInput>,
  ): Promise<{ key: ApiKeyView; secret: string }> {
    assertCan(ctx.actor, 'admin:users');
    const user = await this.deps.users.findByEmail(ctx, email.trim());
    if (!user) throw new AppError('not_found:users', `No user with the e-mail ${email.trim()}`);
    const owner = await this.deps.users.actorFor(ctx.db, user.id);
    if (!owner) throw new AppError('conflict:api_keys', 'This user is disabled');
    return this.createFor(ctx, { ...owner, id: user.id }, input);
  }

  async adminList(
    ctx: Ctx,
    input: z.input<typeof AdminListInput>,
  ): Promise<{ items: AdminApiKeyView[]; nextCursor: string | null }> {
    assertCan(ctx.actor, 'admin:users');
    const data = parseInput(AdminListInput, input, 'api_keys');
    const now = new Date();
    const rows = await listAllKeys(ctx.db, {
      userId: data.userId,
      status: data.status,
      after: decodeCursor(data.cursor),
      limit: data.limit,
      now,
    });
    const page = pageOf(rows, data.limit);
    const usage = await usageSummaries(
      ctx.db,
      page.items.map((k) => k.id),
      new Date(now.getTime() - 86_400_000),
    );
    return {
      items: page.items.map((k) => ({
        ...toKeyView(k, now),
        owner: { id: k.userId, email: k.ownerEmail, name: k.ownerName },
        usage24h: usage.get(k.id) ?? { requests: 0, errors: 0 },
      })),
      nextCursor: page.nextCursor,
    };
  }

  async adminRevoke(ctx: Ctx, id: string): Promise<ApiKeyView> {
    assertCan(ctx.actor, 'admin:users');
    const key = isUuid(id) ? await findKey(ctx.db, id) : undefined;
    if (!key) throw new AppError('not_found:api_keys', 'No such API key');
    return this.revoke(ctx, key);
  }

  /** One key's request log (endpoint pattern, method, status, latency), newest first. */
  async adminUsage(ctx: Ctx, id: string, input: { limit?: number; cursor?: string }) {
    assertCan(ctx.actor, 'admin:users');
    const key = isUuid(id) ? await findKey(ctx.db, id) : undefined;
    if (!key) throw new AppError('not_found:api_keys', 'No such API key');
    const limit = Math.min(Math.max(input.limit ?? 50, 1), 500);
    const after = decodeCursor(input.cursor, { id: 'int' });
    const rows = await listUsage(ctx.db, {
      keyId: key.id,
      beforeId: after ? Number(after.id) : undefined,
      limit,
    });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map((r) => ({
        endpoint: r.endpoint,
        method: r.method,
        status: r.status,
        latencyMs: r.latencyMs,
        createdAt: r.createdAt.toISOString(),
      })),
      nextCursor:
        rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: String(last.id) }) : null,
    };
  }

  // ——— the caller (GET /api/v1/me) ———

  async me(ctx: Ctx, rateLimitRpm: number): Promise<MeView> {
    assertSignedIn(ctx.actor);
    const { actor } = ctx;
    const keyId = actor.apiKeyId;
    const loadingUser = this.deps.users.ownView(ctx.db, actor.id);
    const loadingKey = keyId ? this.keysById.read(keyId, () => findKey(ctx.db, keyId)) : undefined;
    const user = loadingUser instanceof Promise ? await loadingUser : loadingUser;
    const key = loadingKey instanceof Promise ? await loadingKey : loadingKey;
    // The same answer while the actor, the person's view, the key row and the budget are the same objects
    // the caches hand out: frozen, so its JSON is made once too (lib/shared-json.ts).
    const made = this.meViews.get(actor);
    if (made && made.user === user && made.key === key && made.rateLimitRpm === rateLimitRpm)
      return made.view;
    const view: MeView = Object.freeze({
      id: user.id,
      email: user.email,
      name: user.name,
      roles: actor.roles,
      authType: actor.type === 'api_key' ? 'api_key' : actor.type === 'oauth' ? 'oauth' : 'session',
      scopes: actor.scopes ? [...actor.scopes].sort() : grantableScopes(actor),
      apiKey: key
        ? {
            id: key.id,
            name: key.name,
            prefix: key.prefix,
            expiresAt: key.expiresAt?.toISOString() ?? null,
            rateLimitRpm: key.rateLimitRpm,
          }
        : null,
      rateLimit: { limit: rateLimitRpm, windowSeconds: 60 },
    });
    this.meViews.set(actor, { user, key, rateLimitRpm, view });
    return view;
  }

  // ——— authentication ———

  /**
   * The actor behind a presented key: its owner (who must be active) narrowed to the key's scopes.
   * 401 `unauthorized:api_key` for an unknown, revoked or expired key or a disabled owner. Served from the
   * hot cache between changes (lib/credential-cache.ts): no query on a hit, one on a miss.
   */
  resolve(ctx: Ctx, token: string): Promise<ResolvedKey> {
    if (!looksLikeKey(token)) return Promise.reject(unauthorized('Invalid API key'));
    return this.resolved.resolve(token, (hash) => this.load(ctx, token, hash));
  }

  /** Resolves once the background writes started so far (request log, "last used") are stored. */
  settled(): Promise<void> {
    return this.usage.flush();
  }

  /** Flushes the request log (and last-used times) and stops accepting rows (shutdown). */
  close(): Promise<void> {
    return this.usage.close();
  }

  // ——— internals ———

  private async load(ctx: Ctx, token: string, hash: string): Promise<ResolvedKey & CachedCredential> {
    const found = await findKeyWithOwner(ctx.db, prefixOf(token));
    if (!found || !safeEqual(hash, found.key.hash)) throw unauthorized('Invalid API key');
    const { key, owner } = found;
    const status = keyStatus(key);
    if (status !== 'active')
      throw unauthorized(`This API key has been ${status === 'revoked' ? 'revoked' : 'expired'}`);
    if (owner.user.status !== 'active') throw unauthorized('The owner of this API key is disabled');
    const ownerActor = userActor({ ...owner, user: owner.user, type: 'api_key' });
    const actor = scopedActor(ownerActor, key.scopes, {
      type: 'api_key',
      apiKeyId: key.id,
      label: `${ownerActor.label} (key ${key.prefix})`,
    });
    return { actor, key, expiresAt: key.expiresAt };
  }

  private async createFor(
    ctx: Ctx,
    owner: Actor & { id: string },
    input: z.input<typeof CreateKeyInput>,
  ): Promise<{ key: ApiKeyView; secret: string }> {
    const data = parseInput(CreateKeyInput, input, 'api_keys');
    const allowed = new Set(grantableScopes(owner));
    const denied = data.scopes.filter((s) => s !== ALL_SCOPES && !allowed.has(s as never));
    if (denied.length)
      throw new AppError('validation:api_keys', `Your roles do not allow the scopes: ${denied.join(', ')}`, {
        details: { fields: { scopes: `not allowed for this user: ${denied.join(', ')}` } },
      });
    const rateLimitRpm = data.rateLimitRpm ?? DEFAULT_RATE_LIMIT_RPM;
    if (rateLimitRpm > DEFAULT_RATE_LIMIT_RPM && !can(ctx.actor, 'admin:users'))
      throw new AppError(
        'validation:api_keys',
        `Only an administrator can raise the limit above ${DEFAULT_RATE_LIMIT_RPM}`,
        {
          details: { fields: { rateLimitRpm: `must be at most ${DEFAULT_RATE_LIMIT_RPM}` } },
        },
      );
    const secret = generateKey();
    const row = await ctx.db.transaction(async (tx) => {
      await lockOwner(tx, owner.id);
      if ((await countActiveKeys(tx, owner.id, new Date())) >= MAX_ACTIVE_KEYS)
        throw new AppError(
          'conflict:api_keys',
          `At most ${MAX_ACTIVE_KEYS} active API keys per user: revoke one first`,
        );
      const created = await insertKey(tx, {
        userId: owner.id,
        name: data.name,
        prefix: secret.prefix,
        hash: secret.hash,
        scopes: data.scopes,
        rateLimitRpm,
        expiresAt: data.expiresAt,
      });
      await this.deps.audit.record(
        { ...ctx, db: tx },
        {
          action: 'api_keys.create',
          targetType: 'api_key',
          targetId: created.id,
          details: {
            owner: owner.id,
            name: created.name,
            prefix: created.prefix,
            scopes: created.scopes,
            rateLimitRpm,
          },
        },
      );
      return created;
    });
    return { key: toKeyView(row), secret: secret.key };
  }

  private async revoke(ctx: Ctx, key: ApiKeyRow): Promise<ApiKeyView> {
    const revoked = await revokeKey(ctx.db, key.id, new Date());
    if (revoked)
      await this.deps.audit.record(ctx, {
        action: 'api_keys.revoke',
        targetType: 'api_key',
        targetId: key.id,
        details: { owner: key.userId, prefix: key.prefix },
      });
    return toKeyView(revoked ?? key);
  }
}
