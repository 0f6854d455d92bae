/** What the users service accepts (zod inputs, SSO profiles) and the view of a person it returns. */
import { z } from 'zod';
import type { UserStatus } from '../../../db/schema/index';
import { Email, Password, passwordNotEmail } from '../auth/password';
import type { UserRow } from './users.repo';

const Name = z.string().trim().max(120, 'must be at most 120 characters');

export const ListUsersInput = z.object({
  q: z.string().trim().max(200).optional(),
  status: z.enum(['active', 'disabled']).optional(),
  role: z.string().trim().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export const UpdateUserInput = z.object({
  name: Name.optional(),
  status: z.enum(['active', 'disabled']).optional(),
  roles: z.array(z.string().trim().min(1)).max(50).optional(),
});
export const UpdateProfileInput = z.object({
  name: Name.optional(),
  avatarUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .max(2000)
    .nullable()
    .optional(),
});
export const CreateUserInput = z
  .object({
    email: Email,
    name: Name.default(''),
    password: Password.optional(),
    roles: z.array(z.string().trim().min(1)).max(50).optional(),
  })
  .superRefine((v, c) => {
    if (v.password) passwordNotEmail({ email: v.email, password: v.password }, c);
  });

export interface SsoProfile {
  provider: string;
  subject: string;
  email: string;
  /** Only verified e-mail addresses link to an existing account. */
  emailVerified: boolean;
  name?: string;
  avatarUrl?: string | null;
  /** Roles mapped from IdP group claims; replaces the user's `sso`-sourced roles when given. */
  roles?: string[];
}

export interface UserView {
  id: string;
  email: string;
  name: string;
  avatarUrl: string | null;
  status: UserStatus;
  hasPassword: boolean;
  lastLoginAt: string | null;
  createdAt: string;
  roles: { name: string; source: string }[];
}

export function toUserView(u: UserRow, roles: { name: string; source: string }[]): UserView {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    avatarUrl: u.avatarUrl,
    status: u.status,
    hasPassword: u.passwordHash !== null,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
    roles: roles.map((r) => ({ name: r.name, source: r.source })),
  };
}
