/** Inputs, views and limits of the API-keys service (kept apart so the service stays about behaviour). */
import { z } from 'zod';
import type { Actor } from '../../lib/ctx';
import { RateLimitRpm } from '../../lib/rate-limit';
import { ALL_SCOPES, isScope, SCOPES } from '../../lib/scopes';
import type { ApiKeyRow, KeyStatus } from './api-keys.repo';

export const MAX_ACTIVE_KEYS = 10;
export const DEFAULT_RATE_LIMIT_RPM = 60;
/** Above the default only an administrator (or the CLI) may set a key's limit. */
export { MAX_RATE_LIMIT_RPM } from '../../lib/rate-limit';

export const ScopeList = z
  .array(
    z
      .string()
      .trim()
      .refine((s) => s === ALL_SCOPES || isScope(s), {
        error: `must be one of: ${ALL_SCOPES}, ${SCOPES.join(', ')}`,
      }),
  )
  .min(1, 'must name at least one scope')
  .max(SCOPES.length + 1)
  .transform((list) => (list.includes(ALL_SCOPES) ? [ALL_SCOPES] : [...new Set(list)].sort()));

export const CreateKeyInput = z.object({
  name: z
    .string({ error: 'is required' })
    .trim()
    .min(1, 'is required')
    .max(100, 'must be at most 100 characters'),
  scopes: ScopeList,
  expiresAt: z.iso
    .datetime({ offset: true, error: 'must be an ISO date-time' })
    .nullish()
    .transform((v) => (v ? new Date(v) : null))
    .refine((d) => d === null || d.getTime() > Date.now(), 'must be in the future'),
  rateLimitRpm: RateLimitRpm.optional(),
});

export const AdminListInput = z.object({
  userId: z.uuid({ error: 'must be an id' }).optional(),
  status: z.enum(['active', 'revoked', 'expired']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  rateLimitRpm: number;
  status: KeyStatus;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export interface AdminApiKeyView extends ApiKeyView {
  owner: { id: string; email: string; name: string };
  /** Requests in the last 24 hours and how many answered 4xx/5xx. */
  usage24h: { requests: number; errors: number };
}

export function keyStatus(row: ApiKeyRow, now = new Date()): KeyStatus {
  if (row.revokedAt) return 'revoked';
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

export function toKeyView(row: ApiKeyRow, now = new Date()): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    rateLimitRpm: row.rateLimitRpm,
    status: keyStatus(row, now),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export interface MeView {
  id: string;
  email: string;
  name: string;
  roles: string[];
  authType: 'api_key' | 'session' | 'oauth';
  scopes: string[];
  apiKey: { id: string; name: string; prefix: string; expiresAt: string | null; rateLimitRpm: number } | null;
  rateLimit: { limit: number; windowSeconds: number };
}

export interface ResolvedKey {
  actor: Actor;
  key: ApiKeyRow;
}
