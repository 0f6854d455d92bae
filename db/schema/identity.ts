/**
 * Identity and access: people, their federated identities, browser sessions, roles × capabilities, and
 * per-resource grants. E-mail is unique case-insensitively (stored lower-cased and indexed on lower(email)).
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const USER_STATUSES = ['active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
export const ROLE_SOURCES = ['manual', 'sso'] as const;
export type RoleSource = (typeof ROLE_SOURCES)[number];

export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    email: text().notNull(),
    name: text().notNull().default(''),
    avatarUrl: text(),
    status: text({ enum: USER_STATUSES }).notNull().default('active'),
    /** Null for SSO-only accounts. Encoded scrypt string with its parameters (api/features/auth/password.ts). */
    passwordHash: text(),
    lastLoginAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_email_lower_uq').on(sql`lower(${t.email})`),
    check('users_status_ck', sql`${t.status} in ('active', 'disabled')`),
  ],
);

/** Federated identities (SSO): one row per provider + subject, linked to a user. */
export const accounts = pgTable(
  'accounts',
  {
    id: uuid().primaryKey().defaultRandom(),
    provider: text().notNull(),
    subject: text().notNull(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastLoginAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    unique('accounts_provider_subject_uq').on(t.provider, t.subject),
    index('accounts_user_idx').on(t.userId),
  ],
);

/** Browser sessions. Only the SHA-256 (hex) of the cookie's random token is stored. */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid().primaryKey().defaultRandom(),
    tokenHash: text().notNull().unique('sessions_token_hash_uq'),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    ip: text(),
    userAgent: text(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

export const roles = pgTable('roles', {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull().unique('roles_name_uq'),
  description: text().notNull().default(''),
  /** Seeded roles (administrator, staff, student) cannot be renamed or deleted. */
  isSystem: boolean().notNull().default(false),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Capability strings `area:action` (e.g. chat:use, admin:users). */
export const capabilities = pgTable('capabilities', {
  name: text().primaryKey(),
  description: text().notNull().default(''),
});

export const roleCapabilities = pgTable(
  'role_capabilities',
  {
    roleId: uuid()
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
    capability: text()
      .notNull()
      .references(() => capabilities.name, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.roleId, t.capability] })],
);

export const userRoles = pgTable(
  'user_roles',
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    roleId: uuid()
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
    /** `sso` rows are re-synced from IdP group claims at each SSO sign-in; `manual` ones are admin-set. */
    source: text({ enum: ROLE_SOURCES }).notNull().default('manual'),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.roleId] }), index('user_roles_role_idx').on(t.roleId)],
);

/**
 * Restricts one resource (model, assistant, repository …) to roles and/or users. No rows for a resource =
 * open to everyone holding the capability; administrators always pass.
 */
export const resourceGrants = pgTable(
  'resource_grants',
  {
    id: uuid().primaryKey().defaultRandom(),
    resourceType: text().notNull(),
    resourceId: text().notNull(),
    roleId: uuid().references(() => roles.id, { onDelete: 'cascade' }),
    userId: uuid().references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('resource_grants_resource_idx').on(t.resourceType, t.resourceId),
    check('resource_grants_one_grantee_ck', sql`(${t.roleId} is null) <> (${t.userId} is null)`),
    uniqueIndex('resource_grants_role_uq')
      .on(t.resourceType, t.resourceId, t.roleId)
      .where(sql`${t.roleId} is not null`),
    uniqueIndex('resource_grants_user_uq')
      .on(t.resourceType, t.resourceId, t.userId)
      .where(sql`${t.userId} is not null`),
  ],
);
