/** Inputs, views and session constants of the auth service (kept apart so the service stays about behaviour). */
import { z } from 'zod';
import type { Actor } from '../../lib/ctx';
import type { UserRow } from '../users/users.repo';
import { Email, Password, passwordNotEmail } from './password';
import type { SessionRow } from './sessions.repo';

export const SESSION_TTL_MS = 30 * 86_400_000;
/** Sliding expiry is written at most this often per session, not on every request. */
export const SESSION_REFRESH_MS = 5 * 60_000;

export const SignUpInput = z
  .object({ email: Email, password: Password, name: z.string().trim().max(120).default('') })
  .superRefine(passwordNotEmail);
export const SignInInput = z.object({
  email: z.string({ error: 'is required' }).trim().toLowerCase().min(1, 'is required').max(254),
  password: z.string({ error: 'is required' }).min(1, 'is required').max(1024),
});
export const ChangePasswordInput = z.object({
  currentPassword: z.string().max(1024).default(''),
  newPassword: Password,
});
export const SignupPolicyInput = z.object({
  signupEnabled: z.boolean().optional(),
  signupDomains: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .transform((d) => d.replace(/^@/, ''))
        .pipe(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'must be a domain such as school.org')),
    )
    .max(100)
    .optional(),
  defaultRole: z.string().trim().toLowerCase().min(1).max(40).optional(),
});

export interface SignupPolicy {
  signupEnabled: boolean;
  signupDomains: string[];
  defaultRole: string;
}

export interface SessionView {
  id: string;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  current: boolean;
}

export interface NewSession {
  token: string;
  /** A ready Set-Cookie header value. */
  cookie: string;
  sessionId: string;
  expiresAt: Date;
}

export interface ResolvedSession {
  actor: Actor;
  user: UserRow;
  session: SessionRow;
  /** Set when the expiry slid forward: send it so the browser's cookie slides too. */
  cookie?: string;
}

export const sessionView = (s: SessionRow, currentId?: string): SessionView => ({
  id: s.id,
  ip: s.ip,
  userAgent: s.userAgent,
  createdAt: s.createdAt.toISOString(),
  lastSeenAt: s.lastSeenAt.toISOString(),
  expiresAt: s.expiresAt.toISOString(),
  current: s.id === currentId,
});
