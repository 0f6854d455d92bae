/**
 * Passwords: a person's own change (the current password unless none is set; other sessions and API keys
 * end) and an administrator's reset (every session and key ends).
 */
import { z } from 'zod';
import { assertCan, assertSignedIn } from '../../lib/authz';
import type { Ctx } from '../../lib/ctx';
import { AppError } from '../../lib/errors';
import { parseInput } from '../../lib/validate';
import { revokeKeysOfUser } from '../api-keys/api-keys.repo';
import type { AuditService } from '../audit/audit.service';
import { findUserById, updateUser } from '../users/users.repo';
import { loadUser } from '../users/users.service';
import { ChangePasswordInput } from './auth.schemas';
import { hashPassword, Password, passwordNotEmail, verifyPassword } from './password';
import { deleteSessionsOfUser } from './sessions.repo';
import type { SignInGuard } from './sign-in-guard';

export class Passwords {
  constructor(private readonly deps: { audit: AuditService; guard: SignInGuard }) {}

  /** The signed-in user's own change: needs the current password (unless none is set); ends other sessions. */
  async change(
    ctx: Ctx,
    input: z.input<typeof ChangePasswordInput>,
  ): Promise<{ sessionsEnded: number; apiKeysRevoked: number }> {
    assertSignedIn(ctx.actor);
    const data = parseInput(ChangePasswordInput, input, 'auth');
    const user = await findUserById(ctx.db, ctx.actor.id);
    if (!user) throw new AppError('unauthorized:auth', 'Sign in to continue');
    parseInput(
      z.object({ email: z.string(), password: z.string() }).superRefine(passwordNotEmail),
      {
        email: user.email,
        password: data.newPassword,
      },
      'auth',
    );
    if (user.passwordHash) {
      await this.deps.guard.check(ctx, user.email);
      if (!(await verifyPassword(data.currentPassword, user.passwordHash))) {
        await this.deps.guard.throttle.fail(user.email, ctx.ip);
        throw new AppError('validation:auth', 'The current password is not correct', {
          details: { fields: { currentPassword: 'is not correct' } },
        });
      }
    }
    await updateUser(ctx.db, user.id, { passwordHash: await hashPassword(data.newPassword) });
    const sessionsEnded = await deleteSessionsOfUser(ctx.db, user.id, ctx.actor.sessionId);
    // Keys made under the old password may be what leaked: they stop working too (issue 9.10).
    const apiKeysRevoked = await revokeKeysOfUser(ctx.db, user.id, new Date());
    await this.deps.audit.record(ctx, {
      action: 'auth.password_change',
      targetType: 'user',
      targetId: user.id,
      details: { sessionsEnded, apiKeysRevoked },
    });
    return { sessionsEnded, apiKeysRevoked };
  }

  /** Admin (or CLI) reset: sets a new password and ends every session of that user. */
  async set(
    ctx: Ctx,
    userId: string,
    password: string,
  ): Promise<{ sessionsEnded: number; apiKeysRevoked: number }> {
    assertCan(ctx.actor, 'admin:users');
    const user = await loadUser(ctx.db, userId);
    const data = parseInput(
      z.object({ email: z.string(), password: Password }).superRefine(passwordNotEmail),
      { email: user.email, password },
      'auth',
    );
    await updateUser(ctx.db, user.id, { passwordHash: await hashPassword(data.password) });
    const sessionsEnded = await deleteSessionsOfUser(ctx.db, user.id);
    const apiKeysRevoked = await revokeKeysOfUser(ctx.db, user.id, new Date());
    await this.deps.guard.throttle.succeed(user.email);
    await this.deps.audit.record(ctx, {
      action: 'users.password_reset',
      targetType: 'user',
      targetId: user.id,
      details: { sessionsEnded, apiKeysRevoked },
    });
    return { sessionsEnded, apiKeysRevoked };
  }
}
