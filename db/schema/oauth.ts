/**
 * The OAuth 2.1 / OpenID Connect provider (api/oauth) and the MCP call log.
 * Secrets are never stored in clear: client secrets, authorization codes, refresh tokens and registration
 * access tokens are kept as SHA-256 (they are 256-bit random values, so a fast hash is enough — the same
 * reasoning as API keys, ADR 011). Signing keys keep their private JWK encrypted with the app secret.
 *
 * A *grant* is what one authorization (code exchange) or one client_credentials call produced: its refresh
 * tokens form one family, and every access token carries its id, so revoking the grant (replay of a rotated
 * refresh token, reuse of a code, RFC 7009 revocation, "Connected apps") stops all of them at once.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './identity';

export const OAUTH_CLIENT_STATUSES = ['active', 'pending', 'disabled'] as const;
export type OAuthClientStatus = (typeof OAUTH_CLIENT_STATUSES)[number];

export const oauthClients = pgTable(
  'oauth_clients',
  {
    /** The `client_id`. */
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    /** SHA-256 (hex) of the secret; null for public clients (PKCE only, `token_endpoint_auth_method=none`). */
    secretHash: text(),
    isPublic: boolean().notNull(),
    redirectUris: text().array().notNull().default(sql`'{}'::text[]`),
    /** Scopes the client may request (OIDC scopes and API scopes). */
    scopes: text().array().notNull().default(sql`'{}'::text[]`),
    /** Registered through RFC 7591 (shown apart to admins, expired when unused). */
    dynamic: boolean().notNull().default(false),
    /** `pending` = a dynamic registration waiting for an administrator (registration setting `approval`). */
    status: text({ enum: OAUTH_CLIENT_STATUSES }).notNull().default('active'),
    /** The identity a client_credentials token acts as (confidential clients only); null = grant refused. */
    serviceUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    /** Requests per minute one person may make through this client's access tokens (admin setting). */
    rateLimitRpm: integer().notNull().default(60),
    /** SHA-256 of the RFC 7592 registration access token (dynamic clients). */
    registrationTokenHash: text(),
    createdBy: uuid().references(() => users.id, { onDelete: 'set null' }),
    /** Written at most once a minute. */
    lastUsedAt: timestamp({ withTimezone: true }),
    secretRotatedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('oauth_clients_status_ck', sql`${t.status} in ('active', 'pending', 'disabled')`),
    check('oauth_clients_rate_limit_ck', sql`${t.rateLimitRpm} > 0`),
    check('oauth_clients_secret_ck', sql`(${t.isPublic} and ${t.secretHash} is null) or not ${t.isPublic}`),
    index('oauth_clients_dynamic_idx').on(t.dynamic, t.createdAt),
  ],
);

/** One authorization (or one client_credentials issuance): the family of its refresh tokens. */
export const oauthGrants = pgTable(
  'oauth_grants',
  {
    id: uuid().primaryKey().defaultRandom(),
    clientId: uuid()
      .notNull()
      .references(() => oauthClients.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    scopes: text().array().notNull(),
    /** The access tokens' `aud` (RFC 8707 resource, or the issuer). */
    audience: text().notNull(),
    /** When the person signed in (OIDC `auth_time`); null for client_credentials. */
    authTime: timestamp({ withTimezone: true }),
    /** The absolute end of the family (refresh tokens slide within it). */
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    revokedAt: timestamp({ withTimezone: true }),
    /** Why: `revoked`, `refresh_replay`, `code_reuse`, `user`, `admin`. */
    revokedReason: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('oauth_grants_user_client_idx').on(t.userId, t.clientId)],
);

/** Authorization codes: 60 s, single use (consumed by one atomic UPDATE). */
export const oauthAuthorizationCodes = pgTable(
  'oauth_authorization_codes',
  {
    codeHash: text().primaryKey(),
    clientId: uuid()
      .notNull()
      .references(() => oauthClients.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    redirectUri: text().notNull(),
    scopes: text().array().notNull(),
    /** RFC 7636 S256 challenge. */
    codeChallenge: text().notNull(),
    nonce: text(),
    audience: text().notNull(),
    authTime: timestamp({ withTimezone: true }).notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    consumedAt: timestamp({ withTimezone: true }),
    /** What the first exchange issued (revoked when the code is presented again). */
    grantId: uuid().references(() => oauthGrants.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('oauth_codes_expires_idx').on(t.expiresAt)],
);

/** Refresh tokens, rotated on every use; `usedAt` set = rotated (presenting it again kills the family). */
export const oauthRefreshTokens = pgTable(
  'oauth_refresh_tokens',
  {
    tokenHash: text().primaryKey(),
    grantId: uuid()
      .notNull()
      .references(() => oauthGrants.id, { onDelete: 'cascade' }),
    clientId: uuid()
      .notNull()
      .references(() => oauthClients.id, { onDelete: 'cascade' }),
    scopes: text().array().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('oauth_refresh_grant_idx').on(t.grantId)],
);

/** What a person allowed a client (remembered per client; a request within these scopes skips the page). */
export const oauthConsents = pgTable(
  'oauth_consents',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    clientId: uuid()
      .notNull()
      .references(() => oauthClients.id, { onDelete: 'cascade' }),
    scopes: text().array().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('oauth_consents_user_client_uq').on(t.userId, t.clientId)],
);

/** RS256 signing keys. The newest unretired key signs; retired keys stay published until their tokens end. */
export const oauthSigningKeys = pgTable('oauth_signing_keys', {
  kid: text().primaryKey(),
  alg: text().notNull().default('RS256'),
  publicJwk: jsonb().$type<Record<string, unknown>>().notNull(),
  /** The private JWK, AES-256-GCM with a key derived from APP_SECRET (api/lib/crypto.ts). */
  privateJwkEncrypted: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp({ withTimezone: true }),
});

export const MCP_CALL_OUTCOMES = ['ok', 'error', 'denied'] as const;
export type McpCallOutcome = (typeof MCP_CALL_OUTCOMES)[number];

/** One row per MCP tools/call (who, through which client or key, how long, how it ended). */
export const mcpToolCalls = pgTable(
  'mcp_tool_calls',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tool: text().notNull(),
    actorId: uuid().references(() => users.id, { onDelete: 'set null' }),
    actorLabel: text().notNull(),
    /** `api_key`, `oauth` or `user` (a session). */
    via: text().notNull(),
    oauthClientId: uuid().references(() => oauthClients.id, { onDelete: 'set null' }),
    apiKeyId: uuid(),
    ms: integer().notNull(),
    outcome: text({ enum: MCP_CALL_OUTCOMES }).notNull(),
    /** The readable reason of a refusal or failure (never arguments or results). */
    error: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('mcp_tool_calls_created_idx').on(t.createdAt),
    check('mcp_tool_calls_outcome_ck', sql`${t.outcome} in ('ok', 'error', 'denied')`),
  ],
);
