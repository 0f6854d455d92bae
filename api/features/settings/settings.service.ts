/**
 * Settings: database first, environment fallback, then the registered default. Reads are cached for five
 * minutes; a write invalidates this process's cache at once. Other processes (the CLI editing a running
 * server's settings, other instances) learn of it through NOTIFY settings_changed on Postgres, or — on the
 * embedded database, where NOTIFY does not cross the socket — by polling a cheap fingerprint of the table.
 */
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbHandle } from '../../../db/client';
import { decrypt, deriveKey, encrypt, maskSecret } from '../../lib/crypto';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { parseInput } from '../../lib/validate';
import type { AuditService } from '../audit/audit.service';
import { allSettingDefinitions, SETTING_KEY, settingDefinition } from './settings.registry';
import {
  deleteSetting,
  findSetting,
  listSettingRows,
  settingsFingerprint,
  upsertSetting,
} from './settings.repo';

export const CACHE_TTL_MS = 5 * 60_000;
export const SETTINGS_CHANNEL = 'settings_changed';
const POLL_MS = 5_000;

export const SettingKey = z.string().trim().regex(SETTING_KEY, 'must look like area.name (lowercase, dots)');
export const SetSettingInput = z.object({
  key: SettingKey,
  value: z.string().max(10_000, 'must be at most 10,000 characters'),
  secret: z.boolean().optional(),
});

export type SettingSource = 'database' | 'environment' | 'default' | 'unset';

export interface SettingView {
  key: string;
  /** In words, for people (the registry's label, else the key). */
  label: string;
  category: string;
  description: string | null;
  secret: boolean;
  /** Secrets are masked; never the clear value. */
  value: string | null;
  source: SettingSource;
  updatedAt: string | null;
}

interface CacheEntry {
  value: string | null;
  source: SettingSource;
  expires: number;
}

export interface SettingsServiceDeps {
  appSecret: string;
  env: Record<string, string | undefined>;
  audit: AuditService;
  log: Logger;
  now?: () => number;
}

export class SettingsService {
  private readonly cache = new Map<string, CacheEntry>();
  /** Counts invalidations: a read that was in flight across one may hold the old value and is not kept. */
  private generation = 0;
  private readonly key: Buffer;
  private readonly now: () => number;
  private unlisten: (() => Promise<void>) | null = null;
  private poller: NodeJS.Timeout | null = null;

  constructor(private readonly deps: SettingsServiceDeps) {
    this.key = deriveKey(deps.appSecret, 'settings');
    this.now = deps.now ?? Date.now;
  }

  /** Follow writes made by other processes. Best effort: the TTL still bounds staleness. */
  async subscribe(database: Pick<DbHandle, 'db' | 'listen'>, pollMs = POLL_MS): Promise<void> {
    if (database.listen) {
      try {
        this.unlisten = await database.listen(SETTINGS_CHANNEL, (key) => this.invalidate(key || undefined));
        return;
      } catch (err) {
        this.deps.log.warn({ err }, 'settings notifications unavailable; polling instead');
      }
    }
    let last = await settingsFingerprint(database.db).catch(() => '');
    this.poller = setInterval(async () => {
      const now = await settingsFingerprint(database.db).catch(() => last);
      if (now !== last) this.invalidate();
      last = now;
    }, pollMs);
    this.poller.unref();
  }

  async close(): Promise<void> {
    if (this.poller) clearInterval(this.poller);
    await this.unlisten?.().catch(() => {});
  }

  invalidate(key?: string): void {
    this.generation++;
    if (key) this.cache.delete(key);
    else this.cache.clear();
  }

  /** The clear value for server-side use (provider keys etc.). Never send it to a client. */
  async get(ctx: Ctx, key: string): Promise<string | null> {
    return (await this.resolve(ctx, key)).value;
  }

  async getNumber(ctx: Ctx, key: string, fallback: number): Promise<number> {
    const raw = await this.get(ctx, key);
    const n = raw === null ? Number.NaN : Number(raw);
    return Number.isFinite(n) ? n : fallback;
  }

  async getBoolean(ctx: Ctx, key: string, fallback: boolean): Promise<boolean> {
    const raw = (await this.get(ctx, key))?.toLowerCase();
    if (raw === undefined) return fallback;
    return ['true', '1', 'yes', 'on'].includes(raw);
  }

  async view(ctx: Ctx, key: string): Promise<SettingView> {
    const parsed = SettingKey.safeParse(key);
    if (!parsed.success)
      throw new AppError('validation:settings', 'Invalid setting key', {
        details: { key: parsed.error.issues[0]?.message },
      });
    const row = await findSetting(ctx.db, parsed.data);
    const def = settingDefinition(parsed.data);
    if (!row && !def) throw new AppError('not_found:settings', `No setting named ${parsed.data}`);
    const { value, source } = await this.resolve(ctx, parsed.data);
    const secret = row?.isSecret ?? def?.secret ?? false;
    return {
      key: parsed.data,
      label: def?.label ?? parsed.data,
      // The registry decides where a known setting is shown (a row keeps the category it was saved with).
      category: def?.category ?? row?.category ?? 'general',
      description: row?.description ?? def?.description ?? null,
      secret,
      value: value === null ? null : secret ? maskSecret(value) : value,
      source,
      updatedAt: row?.updatedAt.toISOString() ?? null,
    };
  }

  async list(ctx: Ctx): Promise<SettingView[]> {
    const rows = await listSettingRows(ctx.db);
    const keys = new Set([...allSettingDefinitions().map((d) => d.key), ...rows.map((r) => r.key)]);
    return Promise.all([...keys].sort().map((k) => this.view(ctx, k)));
  }

  async set(ctx: Ctx, input: z.input<typeof SetSettingInput>): Promise<SettingView> {
    const parsed = SetSettingInput.parse(input);
    const { key, secret } = parsed;
    const def = settingDefinition(key);
    const value = def?.schema
      ? parseInput(z.object({ value: def.schema }), { value: parsed.value }, 'settings').value
      : parsed.value;
    const isSecret = secret ?? def?.secret ?? false;
    const before = await this.load(ctx, key);
    await upsertSetting(ctx.db, {
      key,
      value: isSecret ? encrypt(value, this.key) : value,
      isSecret,
      category: def?.category ?? key.split('.')[0]!,
      description: def?.description ?? null,
      updatedBy: ctx.actor.type === 'user' ? ctx.actor.id : null,
    });
    await this.deps.audit.record(ctx, {
      action: 'settings.update',
      targetType: 'setting',
      targetId: key,
      details: auditChange(key, before, { value, source: 'database' }, isSecret),
    });
    await this.announce(ctx, key);
    return this.view(ctx, key);
  }

  async unset(ctx: Ctx, key: string): Promise<boolean> {
    const before = await this.load(ctx, SettingKey.parse(key));
    const removed = await deleteSetting(ctx.db, key);
    if (removed) {
      const after = await this.load(ctx, key);
      const secret = settingDefinition(key)?.secret ?? false;
      await this.deps.audit.record(ctx, {
        action: 'settings.delete',
        targetType: 'setting',
        targetId: key,
        details: auditChange(key, before, after, secret),
      });
      await this.announce(ctx, key);
    }
    return removed;
  }

  private async announce(ctx: Ctx, key: string): Promise<void> {
    this.invalidate(key);
    await ctx.db
      .execute(sqlNotify(key))
      .catch((err: unknown) => ctx.log.warn({ err }, 'settings notify failed'));
  }

  private async resolve(ctx: Ctx, key: string): Promise<Omit<CacheEntry, 'expires'>> {
    const hit = this.cache.get(key);
    if (hit && hit.expires > this.now()) return hit;
    const generation = this.generation;
    const entry = await this.load(ctx, key);
    if (generation === this.generation) this.cache.set(key, { ...entry, expires: this.now() + CACHE_TTL_MS });
    return entry;
  }

  private async load(ctx: Ctx, key: string): Promise<Omit<CacheEntry, 'expires'>> {
    const row = await findSetting(ctx.db, key);
    if (row) {
      if (!row.isSecret) return { value: row.value, source: 'database' };
      try {
        return { value: decrypt(row.value, this.key), source: 'database' };
      } catch (err) {
        ctx.log.error({ err, key }, 'a secret setting could not be decrypted (was APP_SECRET changed?)');
        return { value: null, source: 'unset' };
      }
    }
    const def = settingDefinition(key);
    const fromEnv = def?.env ? this.deps.env[def.env] : undefined;
    if (fromEnv) return { value: fromEnv, source: 'environment' };
    if (def?.default !== undefined) return { value: def.default, source: 'default' };
    return { value: null, source: 'unset' };
  }
}

/**
 * A setting's change for the audit log, `{ key: { from, to } }` with the values in effect before and after
 * (a default or the environment's value included). A secret's value is never written: only whether one
 * was set, and that it changed.
 */
function auditChange(
  key: string,
  before: Omit<CacheEntry, 'expires'>,
  after: Omit<CacheEntry, 'expires'>,
  secret: boolean,
): Record<string, { from: unknown; to: unknown }> {
  if (!secret) return { [key]: { from: before.value, to: after.value } };
  const hidden = (v: Omit<CacheEntry, 'expires'>, word: string) =>
    v.value === null
      ? null
      : `${word} (${v.source === 'environment' ? 'from the environment, ' : ''}not shown)`;
  const to = hidden(after, after.source === 'database' ? 'a new secret' : 'a secret');
  return { [key]: { from: hidden(before, 'a secret'), to } };
}

function sqlNotify(key: string) {
  return sql`select pg_notify(${SETTINGS_CHANNEL}, ${key})`;
}
