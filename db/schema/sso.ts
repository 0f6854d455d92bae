import { boolean, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Single sign-on identity providers configured by an administrator. `clientSecret` holds AES-256-GCM
 * ciphertext (api/lib/crypto.ts, purpose 'sso'), never the clear secret.
 */
export const ssoProviders = pgTable('sso_providers', {
  id: uuid().primaryKey().defaultRandom(),
  /** URL segment: /auth/sso/:slug and /auth/callback/:slug. */
  slug: text().notNull().unique(),
  /** cognito | google | entra | oidc */
  type: text().notNull(),
  displayName: text().notNull(),
  clientId: text().notNull(),
  clientSecret: text(),
  /** OIDC issuer (oidc, cognito user pool); derived for google and entra. */
  issuer: text(),
  /** Cognito hosted UI domain without scheme (e.g. school.auth.eu-west-1.amazoncognito.com). */
  domain: text(),
  /** Entra tenant id or domain (or common / organizations). */
  tenant: text(),
  /** Lower-case e-mail domains allowed to sign in; empty = any verified e-mail. */
  allowedDomains: text().array().notNull().default([]),
  /** ID-token claim listing the user's groups (e.g. cognito:groups, groups); null = no mapping. */
  groupClaim: text(),
  /** IdP group → role name. */
  groupRoles: jsonb().$type<Record<string, string>>().notNull().default({}),
  enabled: boolean().notNull().default(true),
  createdBy: uuid(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
